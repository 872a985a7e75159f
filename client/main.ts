import type { App as VueApp } from 'vue'
import { createApp } from 'vue'
import App from './App.vue'
import * as debug from './modules/debug.ts'
import * as i18n from './modules/i18n.ts'
import * as pinia from './modules/pinia.ts'
import * as realtime from './modules/realtime.ts'
import * as router from './modules/router.ts'
import './styles/main.css'

const app = createApp(App)
// Order matters: stores need pinia before realtime binds them.
const modules: { install: (app: VueApp) => void }[] = [pinia, i18n, router, realtime, debug]
for (const m of modules)
  m.install(app)
// A screen opened in English waits for its strings (one small chunk) rather than flashing Chinese first.
void i18n.ready().then(() => app.mount('#app'))
