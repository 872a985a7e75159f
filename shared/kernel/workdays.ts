import published from 'chinese-days/dist/chinese-days.json'
import { dayOf, fromLocal, localParts } from './time.ts'

// Working days in the Chinese calendar (工作日): weekends off, statutory holidays off, make-up working days (调休)
// on. The State Council publishes next year's arrangement each November; `chinese-days` (maintained, updated every
// year) carries it; we read its data file, not its functions, which parse a day in the machine's time zone and
// answer for the day before west of UTC. A subdistrict's package may add or correct days (calendar.csv) for a year the library does not
// know yet; a year known to neither falls back to Monday–Friday, and `calendarGaps` names it so the admin is told.

/** Days a package declares: `holidays` off (even on a weekday), `workdays` on (even on a weekend). YYYY-MM-DD. */
export interface CalendarOverride {
  holidays: string[]
  workdays: string[]
}

export const NO_OVERRIDE: CalendarOverride = { holidays: [], workdays: [] }

const YMD = /^\d{4}-\d{2}-\d{2}$/
// The library's data is read inside the functions, never at import: with no top-level work here, a bundle that
// never counts working days (the phones and screens: the server sets every deadline) drops it (~36 KB).
const holidays = (): Record<string, string> => published.holidays
const workdays = (): Record<string, string> => published.workdays
let knownYears: Set<number> | undefined

/** Whether `chinese-days` carries the published arrangement of this year (every year has New Year's Day off). */
export function libraryKnowsYear(year: number): boolean {
  knownYears ??= new Set(Object.keys(holidays()).map(d => Number(d.slice(0, 4))))
  return knownYears.has(year)
}

/** The years in [from, to] whose holidays neither the library nor the package declares. */
export function calendarGaps(from: number, to: number, override: CalendarOverride = NO_OVERRIDE): number[] {
  const declared = new Set(override.holidays.map(d => Number(d.slice(0, 4))))
  const gaps: number[] = []
  for (let y = from; y <= to; y++) {
    if (!libraryKnowsYear(y) && !declared.has(y))
      gaps.push(y)
  }
  return gaps
}

/** Whether a Shanghai calendar day (YYYY-MM-DD) is a working day. */
export function isWorkingDay(ymd: string, override: CalendarOverride = NO_OVERRIDE): boolean {
  if (!YMD.test(ymd))
    throw new RangeError(`not a YYYY-MM-DD day: ${ymd}`)
  if (override.holidays.includes(ymd))
    return false
  if (override.workdays.includes(ymd))
    return true
  if (workdays()[ymd] !== undefined)
    return true
  if (holidays()[ymd] !== undefined)
    return false
  const weekday = new Date(`${ymd}T00:00:00Z`).getUTCDay()
  return weekday !== 0 && weekday !== 6
}

/**
 * The end of the `n`th working day after the day `since` falls on (Asia/Shanghai): "3 个工作日内" from a report on
 * Friday afternoon runs to the end of Wednesday, skipping the weekend, a holiday week and counting a 调休 Saturday.
 * n = 0 is the end of the day itself.
 */
export function addWorkingDays(since: Date, n: number, override: CalendarOverride = NO_OVERRIDE): Date {
  if (!Number.isInteger(n) || n < 0)
    throw new RangeError(`working days must be a whole number ≥ 0, got ${n}`)
  const p = localParts(since)
  let day = 0
  let left = n
  // A year has at least ~240 working days: the loop ends; the bound only guards a corrupt override.
  while (left > 0 && day < n * 7 + 400) {
    day += 1
    if (isWorkingDay(dayOf(fromLocal(p.year, p.month0, p.day + day)), override))
      left -= 1
  }
  return new Date(fromLocal(p.year, p.month0, p.day + day + 1))
}
