import { watch } from 'vue'
import { dayOf } from '../../shared/kernel/time.ts'
import { useIncidentsStore } from '../incident/store.ts'
import zhCN from '../locales/duty.zh-CN.ts'
import { mergeStrings } from '../modules/i18n.ts'
import { pinia } from '../modules/pinia.ts'
import { useDutyStore } from './store.ts'

let bound = false

/**
 * The roster on a screen: its strings, a live feed from the change log (bound once), and the week from `now`'s
 * day, loaded again when the day turns and after a snapshot (a reconnect that skipped changes).
 */
export function bootDuty(now: () => number, days = 7): void {
  mergeStrings(zhCN)
  const duty = useDutyStore(pinia)
  const load = () => void duty.load(dayOf(now()), days).catch(err => console.warn('[duty] roster not available', err))
  if (!bound) {
    bound = true
    const incidents = useIncidentsStore(pinia)
    incidents.onApplied(changes => duty.apply(changes))
    incidents.onSnapshot(load)
  }
  watch(() => dayOf(now()), load, { immediate: true })
}
