import { useIncidentsStore } from '../incident/store.ts'
import { pinia } from '../modules/pinia.ts'
import { useResourcesStore } from './store.ts'

let booted = false

/** Binds the resources store to the change log, once per page load; read again after a snapshot. */
export function bootResources(): void {
  if (booted)
    return
  booted = true
  const resources = useResourcesStore(pinia)
  const incidents = useIncidentsStore(pinia)
  const load = () => void resources.load().catch(err => console.warn('[resources] load failed', err))
  incidents.onApplied(changes => resources.apply(changes))
  incidents.onSnapshot(load)
  load()
}
