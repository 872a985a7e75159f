import { useIncidentsStore } from '../incident/store.ts'
import { pinia } from '../modules/pinia.ts'
import { socket } from '../realtime/socket.ts'
import { useInboxStore } from './inbox.ts'
import { useMessagesStore } from './store.ts'

let booted = false
let inboxBooted = false

/** Binds the messages store to the change log, once per page load (the wall, the desk). */
export function bootMessages(): void {
  if (booted)
    return
  booted = true
  const messages = useMessagesStore(pinia)
  const incidents = useIncidentsStore(pinia)
  const load = () => void messages.load().catch(err => console.warn('[messages] load failed', err))
  incidents.onApplied(changes => messages.apply(changes))
  // After a snapshot (boot, a long gap) receipts may have moved beyond the log's reach: read them again.
  incidents.onSnapshot(load)
  if (incidents.seq !== null)
    load()
}

/** Binds the signed-in person's inbox (messages to acknowledge, escalations) to the one socket, once per page load. */
export function bootInbox(): void {
  if (inboxBooted)
    return
  inboxBooted = true
  useInboxStore(pinia).bind(socket)
}
