import { useIncidentsStore } from '../../incident/store.ts'
import { pinia } from '../../modules/pinia.ts'
import { useLeaderWartimeStore } from '../../wartime/leader-store.ts'

let booted = false

/** Binds the leader view's wartime store to the live change log, once per page load. */
export function bootLeader(): void {
  if (booted)
    return
  booted = true
  const wartime = useLeaderWartimeStore(pinia)
  const incidents = useIncidentsStore(pinia)
  incidents.onApplied(changes => wartime.apply(changes))
  // After a snapshot (boot, reconnect after a long gap) the operation may have changed: read it again.
  incidents.onSnapshot(() => void wartime.load().catch(err => console.warn('[wartime] load failed', err)))
  if (incidents.seq !== null)
    void wartime.load().catch(err => console.warn('[wartime] load failed', err))
}
