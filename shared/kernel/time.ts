// The one Asia/Shanghai calendar. Days, months and clocks on every screen and in every figure are Chongqing's;
// stored timestamps are absolute. Asia/Shanghai has been UTC+8 all year since 1991 (no DST), so a local day or
// month is a fixed offset of a UTC one: no time-zone database is needed, and the same code gives the same answer
// in a browser, on a server set to UTC, and in a test runner set to anything.

export const SHANGHAI_OFFSET_MS = 8 * 3_600_000
const OFFSET_MS = SHANGHAI_OFFSET_MS
const DAY_MS = 24 * 3_600_000
const pad = (n: number, width = 2) => String(n).padStart(width, '0')
const ms = (t: number | string | Date): number => typeof t === 'number' ? t : new Date(t).getTime()

/** The local wall-clock fields of an instant (month0 is 0-based, weekday 0 = Sunday). */
export function localParts(t: number | string | Date): { year: number, month0: number, day: number, hour: number, minute: number, second: number, weekday: number } {
  const d = new Date(ms(t) + OFFSET_MS)
  return { year: d.getUTCFullYear(), month0: d.getUTCMonth(), day: d.getUTCDate(), hour: d.getUTCHours(), minute: d.getUTCMinutes(), second: d.getUTCSeconds(), weekday: d.getUTCDay() }
}

/** The instant (ms epoch) of a local wall-clock time; fields may overflow (month0 13, day 0) as in Date.UTC. */
export function fromLocal(year: number, month0: number, day = 1, hour = 0, minute = 0, second = 0): number {
  const d = new Date(0)
  d.setUTCFullYear(year, month0, day) // setUTCFullYear, not Date.UTC: years 0–99 are not shifted to 1900–1999
  d.setUTCHours(hour, minute, second, 0)
  return d.getTime() - OFFSET_MS
}

/** The local hour (0–23) of an instant. */
export function hourOf(t: number | string | Date): number {
  return localParts(t).hour
}

/** Start (ms epoch) of the local day containing `t`. */
export function dayStart(t: number | string | Date): number {
  return Math.floor((ms(t) + OFFSET_MS) / DAY_MS) * DAY_MS - OFFSET_MS
}

/** Start (ms epoch) of the local month containing `t`, moved by `shift` months. */
export function monthStart(t: number | string | Date, shift = 0): number {
  const p = localParts(t)
  return fromLocal(p.year, p.month0 + shift)
}

/** An instant as local ISO 8601 with its offset, e.g. 2026-07-12T06:30:00+08:00 (CAP and GB/T 35965 write this). */
export function localIso(t: number | string | Date): string {
  const p = localParts(t)
  return `${pad(p.year, 4)}-${pad(p.month0 + 1)}-${pad(p.day)}T${pad(p.hour)}:${pad(p.minute)}:${pad(p.second)}+08:00`
}

const MONTH_RE = /^(\d{4})-(0[1-9]|1[0-2])$/

/** A YYYY-MM string naming a real month (0001-01 … 9999-12). */
export function isMonth(s: string): boolean {
  return MONTH_RE.test(s) && s >= '0001-01'
}

function parse(month: string): { y: number, m: number } {
  const hit = MONTH_RE.exec(month)
  if (!hit)
    throw new RangeError(`not a month (YYYY-MM): ${month}`)
  return { y: Number(hit[1]), m: Number(hit[2]) - 1 }
}

/** The month's instants: [from, to) in ms epoch, and as ISO strings for store queries. */
export function monthRange(month: string): { from: number, to: number, fromIso: string, toIso: string } {
  const { y, m } = parse(month)
  const from = fromLocal(y, m)
  const to = fromLocal(y, m + 1)
  return { from, to, fromIso: new Date(from).toISOString(), toIso: new Date(to).toISOString() }
}

/** The local month an instant falls in: 2026-10-31T16:30Z is 2026-11-01 00:30 in Chongqing → 2026-11. */
export function monthOf(t: number | string | Date): string {
  const p = localParts(t)
  return `${pad(p.year, 4)}-${pad(p.month0 + 1)}`
}

/** The local calendar day of an instant, YYYY-MM-DD: "today" on the wall, active days in the score. */
export function dayOf(t: number | string | Date): string {
  return new Date(ms(t) + OFFSET_MS).toISOString().slice(0, 10)
}

/** `month` moved by `n` months (negative = earlier). */
export function addMonths(month: string, n: number): string {
  const { y, m } = parse(month)
  return monthOf(fromLocal(y, m + n))
}

/** Months from `first` to `last` inclusive, oldest first; empty when `first` is after `last`. */
export function monthsBetween(first: string, last: string): string[] {
  const out: string[] = []
  for (let m = first; m <= last; m = addMonths(m, 1))
    out.push(m)
  return out
}

/** Whether the month has ended at `now`: only ended months can be frozen. */
export function hasEnded(month: string, now: number): boolean {
  return monthRange(month).to <= now
}
