import type { ComputedRef } from 'vue'
import type { ClockState } from '../../shared/inforeport/schedule.ts'
import type { InfoReport } from '../../shared/inforeport/schema.ts'
import { computed } from 'vue'
import { clockOf, countdown } from '../../shared/inforeport/schedule.ts'
import { formatShanghaiTime } from '../ui/useClock.ts'
import { installReportStrings } from './reports-i18n.ts'
import { bootInfoReports, useInfoReportsStore } from './reports-store.ts'
import { useWartimeStore } from './store.ts'

export interface ReportClockRow { r: InfoReport, state: ClockState, leftMs: number, shown: string }

/**
 * The running operation's report clocks as the wall and the leaders' view show them: the latest sent ones (at most
 * `max` rows in all) and every one still owed, each with its countdown or the time it was sent.
 */
export function useReportClocks(now: () => number, max = 3): ComputedRef<ReportClockRow[]> {
  installReportStrings()
  bootInfoReports()
  const wartime = useWartimeStore()
  const store = useInfoReportsStore()
  return computed(() => {
    const all = store.of(wartime.operation?.id).filter(r => r.state !== 'cancelled')
    const owed = all.filter(r => r.state !== 'sent')
    const sent = all.filter(r => r.state === 'sent').slice(-Math.max(1, max - owed.length))
    return [...sent, ...owed].map((r) => {
      const c = clockOf(r, now())
      return { r, ...c, shown: c.state === 'sent' ? formatShanghaiTime(Date.parse(r.sentAt!)).slice(0, 5) : countdown(c.leftMs) }
    })
  })
}
