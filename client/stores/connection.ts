import type { AppSocket } from '../realtime/socket.ts'
import { defineStore } from 'pinia'
import { ref } from 'vue'

export type ConnectionState = 'connecting' | 'connected' | 'reconnecting' | 'offline'

/** After this long without a connection the wall says "offline" rather than "reconnecting". */
const OFFLINE_AFTER_MS = 30_000

export const useConnectionStore = defineStore('connection', () => {
  const state = ref<ConnectionState>('connecting')
  /** When data last arrived from the server (ms epoch), null before the first. */
  const lastDataAt = ref<number | null>(null)
  /** When the current outage began (ms epoch), null while connected. */
  const downSince = ref<number | null>(null)
  let offlineTimer: ReturnType<typeof setTimeout> | undefined

  function touch(): void {
    lastDataAt.value = Date.now()
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
      downSince.value = null
    })
    socket.on('disconnect', markDown)
    socket.on('connect_error', markDown)
    for (const event of ['sync:snapshot', 'sync:changes', 'change:batch', 'positions:update'] as const)
      socket.on(event, touch)
    window.addEventListener('offline', () => {
      state.value = 'offline'
      downSince.value ??= Date.now()
    })
  }

  return { state, lastDataAt, downSince, touch, bind }
})
