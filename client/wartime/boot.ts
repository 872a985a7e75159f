import { useIncidentsStore } from '../incident/store.ts'
import { pinia } from '../modules/pinia.ts'
import { socket } from '../realtime/socket.ts'
import { useWartimeStore } from './store.ts'

let booted = false

function load(): void {
  void useWartimeStore(pinia).load().catch(err => console.warn('[wartime] load failed', err))
}

/**
 * Binds the wall's wartime store to the change log and presence, once per page load. Only the wall pays for
 * it: phones have their own task views and must not fetch the whole operation.
 */
export function bootWartime(): void {
  if (booted)
    return
  booted = true
  const wartime = useWartimeStore(pinia)
  const incidents = useIncidentsStore(pinia)
  wartime.bind(socket)
  incidents.onApplied(changes => wartime.apply(changes))
  // After a snapshot (boot, a long gap) the operation may have changed beyond the log's reach: read it again.
  incidents.onSnapshot(load)
  // Presence is not in the log: after any reconnect, who is online is read again.
  socket.on('connect', () => {
    if (incidents.seq !== null)
      load()
  })
  if (incidents.seq !== null)
    load()
}
