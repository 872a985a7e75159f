// Evaluation months are Chongqing calendar months. Asia/Shanghai has been UTC+8 all year since 1991 (no
// DST), so a local month is a fixed offset of a UTC month: no time-zone database is needed, and the same
// code gives the same answer in a browser, on a server set to UTC, and in a test runner set to anything.

const OFFSET_MS = 8 * 3_600_000
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

/** Start instant (ms epoch) of a local month; Date.UTC normalises month overflow, so `shift` may be any integer. */
function startOf(y: number, m: number): number {
  const d = new Date(0)
  d.setUTCFullYear(y, m, 1) // setUTCFullYear, not Date.UTC: years 0–99 are not shifted to 1900–1999
  return d.getTime() - OFFSET_MS
}

/** The month's instants: [from, to) in ms epoch, and as ISO strings for store queries. */
export function monthRange(month: string): { from: number, to: number, fromIso: string, toIso: string } {
  const { y, m } = parse(month)
  const from = startOf(y, m)
  const to = startOf(y, m + 1)
  return { from, to, fromIso: new Date(from).toISOString(), toIso: new Date(to).toISOString() }
}

/** The local month an instant falls in: 2026-10-31T16:30Z is 2026-11-01 00:30 in Chongqing → 2026-11. */
export function monthOf(t: number | string | Date): string {
  const ms = typeof t === 'number' ? t : new Date(t).getTime()
  const d = new Date(ms + OFFSET_MS)
  return `${String(d.getUTCFullYear()).padStart(4, '0')}-${String(d.getUTCMonth() + 1).padStart(2, '0')}`
}

/** The local calendar day of an instant, YYYY-MM-DD (active days are counted in these). */
export function dayOf(t: number | string): string {
  const ms = typeof t === 'number' ? t : Date.parse(t)
  return new Date(ms + OFFSET_MS).toISOString().slice(0, 10)
}

/** `month` moved by `n` months (negative = earlier). */
export function addMonths(month: string, n: number): string {
  const { y, m } = parse(month)
  return monthOf(startOf(y, m + n))
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
