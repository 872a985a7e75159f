import type { ShallowRef } from 'vue'
import type { IncidentTracker } from '../incident/store.ts'
import { onScopeDispose, shallowRef, watch } from 'vue'
import { useIncidentsStore } from '../incident/store.ts'

/**
 * Keeps `tracker` in step with the incidents store for the life of the calling scope, from the moment `start`
 * first answers true (default: at once; the wall's map waits until the panels show live figures). Answers a
 * counter that moves once per applied run of changes: what reads the tracker depends on it instead of on every
 * incident.
 */
export function useTracked(tracker: IncidentTracker, start: () => boolean = () => true): Readonly<ShallowRef<number>> {
  const incidents = useIncidentsStore()
  const version = shallowRef(0)
  let stop: (() => void) | undefined
  watch(start, (go) => {
    if (!go || stop)
      return
    stop = incidents.track({
      reset: all => tracker.reset(all),
      update: (before, after) => tracker.update(before, after),
      settled: () => {
        tracker.settled?.()
        version.value++
      },
    })
  }, { immediate: true })
  onScopeDispose(() => stop?.())
  return version
}
