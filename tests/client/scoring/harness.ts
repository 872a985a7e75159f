import { createApp, h } from 'vue'
import { useSessionStore } from '../../../client/auth/store.ts'
import * as i18n from '../../../client/modules/i18n.ts'
import * as pinia from '../../../client/modules/pinia.ts'
import MyPoints from '../../../client/scoring/MyPoints.vue'
import PointsDesk from '../../../client/scoring/PointsDesk.vue'
import '../../../client/styles/main.css'

// Mounts one self-contained scoring component alone, as the desk and the phone will: pinia, i18n and the
// session, nothing else. Served by tests/e2e/scoring.test.ts through Vite: ?mount=PointsDesk | MyPoints.
const which = new URLSearchParams(location.search).get('mount')
const app = createApp({ render: () => h(which === 'MyPoints' ? MyPoints : PointsDesk) })
pinia.install(app)
i18n.install(app)
void useSessionStore(pinia.pinia).refresh().finally(() => app.mount('#app'))
