import type { App } from 'vue'
import { createRouter, createWebHistory } from 'vue-router'

export const router = createRouter({
  history: createWebHistory(),
  routes: [
    { path: '/', name: 'wall', component: () => import('../pages/WallPage.vue') },
    { path: '/:pathMatch(.*)*', redirect: '/' },
  ],
})

export function install(app: App): void {
  app.use(router)
}
