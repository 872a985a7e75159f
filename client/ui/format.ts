/** A share 0…1 as a whole-number percentage string ('—' when unknown). */
export function percent(share: number | null | undefined, digits = 0): string {
  return share === null || share === undefined ? '—' : `${(share * 100).toFixed(digits)}%`
}

/** A signed year-on-year change: −32.2% / +5.0%. */
export function signedPercent(change: number | null): string {
  if (change === null)
    return '—'
  const sign = change > 0 ? '+' : change < 0 ? '−' : '±'
  return `${sign}${Math.abs(change * 100).toFixed(1)}%`
}

export type DurationUnit = 'min' | 'hour' | 'day'

/** Minutes in the unit a reader takes in at a glance: 38 min, 5.2 h, 3.1 d. */
export function splitMinutes(minutes: number | null): { value: string, unit: DurationUnit } | null {
  if (minutes === null || !Number.isFinite(minutes))
    return null
  if (minutes < 90)
    return { value: Math.round(minutes).toString(), unit: 'min' }
  if (minutes < 48 * 60)
    return { value: (minutes / 60).toFixed(1), unit: 'hour' }
  return { value: (minutes / 1440).toFixed(1), unit: 'day' }
}

/** A span in ms as a compact clock: 45s, 12m, 3h05m, 2d04h. */
export function compactSpan(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000))
  if (s < 60)
    return `${s}s`
  const m = Math.floor(s / 60)
  if (m < 60)
    return `${m}m`
  const h = Math.floor(m / 60)
  if (h < 48)
    return `${h}h${String(m % 60).padStart(2, '0')}m`
  return `${Math.floor(h / 24)}d${String(h % 24).padStart(2, '0')}h`
}
