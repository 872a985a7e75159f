import type { App } from 'vue'
import { createRouter, createWebHistory } from 'vue-router'

export const router = createRouter({
  history: createWebHistory(),
  routes: [
    { path: '/', name: 'wall', component: () => import('../screens/wall/WallPage.vue') },
    // Phones (#6): the leaders' read-only view and the grid worker's field view.
    { path: '/m', name: 'leader', component: () => import('../screens/leader/LeaderPage.vue') },
    { path: '/field', name: 'field', component: () => import('../screens/field/FieldPage.vue') },
    { path: '/:pathMatch(.*)*', redirect: '/' },
  ],
})

export function install(app: App): void {
  app.use(router)
}
