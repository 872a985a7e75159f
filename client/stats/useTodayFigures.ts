import type { MaybeRefOrGetter } from 'vue'
import { computed, toValue } from 'vue'
import { todayFigures } from '../../shared/stats/figures.ts'
import { useIncidentsStore } from '../incident/store.ts'

/**
 * Today's figures, live from the incidents store (the same function /api/stats uses), so a report shows within
 * a frame. Recomputed when the store changes or the minute of `now` turns: overdue depends on the clock, not
 * only on changes. `ready` once the first snapshot is in.
 */
export function useTodayFigures(now: MaybeRefOrGetter<number>) {
  const incidents = useIncidentsStore()
  const minute = computed(() => Math.floor(toValue(now) / 60_000))
  const figures = computed(() => {
    void minute.value
    return todayFigures(incidents.byId.values(), Date.now())
  })
  const ready = computed(() => incidents.seq !== null)
  return { figures, ready }
}
