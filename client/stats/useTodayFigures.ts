import type { MaybeRefOrGetter } from 'vue'
import { computed, toValue } from 'vue'
import { useIncidentsStore } from '../incident/store.ts'
import { TodayTally } from './tallies.ts'
import { useTracked } from './useTracked.ts'

/**
 * Today's figures, live from the incidents store (the same definitions /api/stats uses, kept change by change:
 * client/stats/tallies.ts), so a report shows within a frame. Read again when the store changes or the minute of
 * `now` turns: overdue depends on the clock, not only on changes. `ready` once the first snapshot is in.
 */
export function useTodayFigures(now: MaybeRefOrGetter<number>) {
  const incidents = useIncidentsStore()
  const tally = new TodayTally()
  const version = useTracked(tally)
  const minute = computed(() => Math.floor(toValue(now) / 60_000))
  const figures = computed(() => {
    void minute.value
    void version.value
    return tally.figures(Date.now())
  })
  const ready = computed(() => incidents.seq !== null)
  return { figures, ready }
}
