// The domain owns what "open" means; the wall only re-exports it next to its own day arithmetic.
export { isOpen } from '../../shared/incident/lifecycle.ts'

const dayFormat = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' })

/** The calendar day in Chongqing (UTC+8, no DST), e.g. '2026-11-27': "today" on the wall. */
export function shanghaiDay(at: Date | string | number): string {
  return dayFormat.format(new Date(at))
}
