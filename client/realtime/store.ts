import type { AppSocket } from './socket.ts'
import { defineStore } from 'pinia'
import { ref } from 'vue'

export type ConnectionState = 'connecting' | 'connected' | 'reconnecting' | 'offline'

/** After this long without a connection the wall says "offline" rather than "reconnecting". */
const OFFLINE_AFTER_MS = 30_000

export const useConnectionStore = defineStore('connection', () => {
  const state = ref<ConnectionState>('connecting')
  /** When data last arrived from the server (ms epoch), null before the first. */
  const lastDataAt = ref<number | null>(null)
  /** When anything last arrived, pings included (ms epoch). */
  const lastMessageAt = ref<number | null>(null)
  /**
   * Since when the wall has not held a caught-up feed: set at boot and on disconnect, cleared only when the
   * server's catch-up (snapshot or missed changes) has arrived after a connect.
   */
  const downSince = ref<number | null>(Date.now())
  let offlineTimer: ReturnType<typeof setTimeout> | undefined

  function heard(): void {
    lastMessageAt.value = Date.now()
  }

  function touch(): void {
    lastDataAt.value = lastMessageAt.value = Date.now()
  }

  function caughtUp(): void {
    touch()
    downSince.value = null
  }

  function markDown(): void {
    downSince.value ??= Date.now()
    if (state.value !== 'offline')
      state.value = 'reconnecting'
    clearTimeout(offlineTimer)
    offlineTimer = setTimeout(() => {
      if (state.value === 'reconnecting')
        state.value = 'offline'
    }, OFFLINE_AFTER_MS)
  }

  function bind(socket: AppSocket): void {
    socket.on('connect', () => {
      clearTimeout(offlineTimer)
      state.value = 'connected'
      heard()
    })
    socket.on('disconnect', markDown)
    socket.on('connect_error', markDown)
    socket.io.on('ping', heard)
    socket.on('sync:snapshot', caughtUp)
    socket.on('sync:changes', caughtUp)
    for (const event of ['change:batch', 'positions:update'] as const)
      socket.on(event, touch)
    window.addEventListener('offline', () => {
      state.value = 'offline'
      downSince.value ??= Date.now()
    })
  }

  return { state, lastDataAt, lastMessageAt, downSince, touch, bind }
})
