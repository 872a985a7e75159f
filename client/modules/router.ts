import type { App } from 'vue'
import type { Place } from '../auth/landing.ts'
import { createRouter, createWebHistory } from 'vue-router'
import { landingFrom } from '../auth/landing.ts'
import { useSessionStore } from '../auth/store.ts'
import { socket } from '../realtime/socket.ts'
import { pinia } from './pinia.ts'

export const router = createRouter({
  history: createWebHistory(),
  routes: [
    { path: '/', name: 'wall', component: () => import('../screens/wall/WallPage.vue') },
    // The workbench (#14): the queue and the detail pane of every desk role.
    { path: '/desk', name: 'desk', component: () => import('../screens/desk/DeskPage.vue') },
    // Phones (#6): the leaders' read-only view and the grid worker's field view.
    { path: '/m', name: 'leader', component: () => import('../screens/leader/LeaderPage.vue') },
    { path: '/field', name: 'field', component: () => import('../screens/field/FieldPage.vue') },
    // The admin console (#15), and where a wall PC or a phone opens the address it made.
    { path: '/district', name: 'district', component: () => import('../screens/district/DistrictPage.vue') },
    { path: '/admin', name: 'admin', component: () => import('../screens/admin/AdminPage.vue') },
    { path: '/device', name: 'device', component: () => import('../screens/admin/DeviceOpen.vue') },
    { path: '/:pathMatch(.*)*', redirect: '/' },
  ],
})

/**
 * Sign-in sends each role to its place, whichever screen's form they used (the wall's dialog, the phone's form,
 * the desk's): one hook on the session's login, so no form needs to know the rule (client/auth/landing.ts).
 */
function landAfterSignIn(): void {
  const session = useSessionStore(pinia)
  session.$onAction(({ name, after }) => {
    if (name !== 'login')
      return
    after((ok) => {
      const here = router.currentRoute.value.path as Place
      const to = landingFrom(here, session.principal)
      if (!ok || to === here)
        return
      // The socket joined its rooms as whoever was here before (the wall display): join as the new person.
      socket.disconnect()
      socket.connect()
      void router.push(to)
    })
  })
}

export function install(app: App): void {
  app.use(router)
  landAfterSignIn()
}
