import type { ShallowRef } from 'vue'
import type { IncidentTracker } from '../incident/store.ts'
import { onScopeDispose, shallowRef } from 'vue'
import { useIncidentsStore } from '../incident/store.ts'

/**
 * Keeps `tracker` in step with the incidents store for the life of the calling scope. Answers a counter that moves
 * once per applied run of changes: what reads the tracker depends on it instead of on every incident.
 */
export function useTracked(tracker: IncidentTracker): Readonly<ShallowRef<number>> {
  const version = shallowRef(0)
  const stop = useIncidentsStore().track({
    reset: all => tracker.reset(all),
    update: (before, after) => tracker.update(before, after),
    settled: () => {
      tracker.settled?.()
      version.value++
    },
  })
  onScopeDispose(stop)
  return version
}
