import { useIncidentsStore } from '../incident/store.ts'
import { pinia } from '../modules/pinia.ts'
import { socket } from '../realtime/socket.ts'
import { useWartimeStore } from './store.ts'

export interface WartimeBoot {
  /** Read every plan, not only the running one's: the wall offers a proposed plan before it is active. */
  allPlans?: boolean
  /** Follow who is online: the wall's list of responders whose device is silent. */
  presence?: boolean
}

let booted = false

/**
 * Binds the wartime store to the change log, once per page load. Each screen asks only for what it shows: the
 * leaders' view reads the operation with its own plan, the wall also every plan and presence. The field phone
 * has its own task view and does not boot this.
 */
export function bootWartime(opts: WartimeBoot = {}): void {
  if (booted)
    return
  booted = true
  const wartime = useWartimeStore(pinia)
  const incidents = useIncidentsStore(pinia)
  const load = () => void wartime.load({ allPlans: opts.allPlans }).catch(err => console.warn('[wartime] load failed', err))
  incidents.onApplied(changes => wartime.apply(changes))
  // After a snapshot (boot, a long gap) the operation may have changed beyond the log's reach: read it again.
  incidents.onSnapshot(load)
  if (opts.presence) {
    wartime.bind(socket)
    // Presence is not in the log: after any reconnect, who is online is read again.
    socket.on('connect', () => {
      if (incidents.seq !== null)
        load()
    })
  }
  if (incidents.seq !== null)
    load()
}
