import type { App } from 'vue'
import { provideSince, socket } from '../realtime/socket.ts'
import { useConnectionStore } from '../stores/connection.ts'
import { useIncidentsStore } from '../stores/incidents.ts'
import { usePositionsStore } from '../stores/positions.ts'
import { pinia } from './pinia.ts'

const PRUNE_EVERY_MS = 10 * 60_000

// Binds the stores to the one socket and opens it. Runs after the pinia module.
export function install(_app: App): void {
  const incidents = useIncidentsStore(pinia)
  useConnectionStore(pinia).bind(socket)
  incidents.bind(socket)
  usePositionsStore(pinia).bind(socket)
  provideSince(() => incidents.seq)
  setInterval(() => incidents.prune(), PRUNE_EVERY_MS)
  socket.connect()
}
