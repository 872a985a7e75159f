import type { SensorState, SensorStation, Threshold } from '../../shared/sensors/schema.ts'
import { formatValue, ordered, UNITS } from '../../shared/sensors/levels.ts'

// What the wall says of a station beside its reading: how far over the line it stands at, or under the next one.

export interface Standing {
  /** The value with its unit, e.g. "181.20 m". */
  value: string
  /** The line it is measured against: the one it is over (警戒 and up), else the next one up. */
  line: Threshold | null
  over: boolean
  /** The distance to that line, with its unit. */
  gap: string
}

export function standing(s: SensorState): Standing | null {
  if (!s.latest)
    return null
  const { station } = s
  const v = s.latest.value
  const lines = ordered(station.thresholds)
  const reached = lines.filter(t => v >= t.value).at(-1) ?? null
  const next = lines.find(t => v < t.value) ?? null
  // Over a line from 警戒 (yellow) up, how far over it is the news; under that, how far to the next line.
  const over = reached !== null && (reached.level !== 'blue' || next === null)
  const line = over ? reached : next
  const unit = UNITS[station.kind]
  return {
    value: `${formatValue(station.kind, v)} ${unit}`,
    line,
    over,
    gap: line ? `${formatValue(station.kind, Math.abs(v - line.value))} ${unit}` : '',
  }
}

/**
 * A line's name as the wall shows it: its published label (e.g. 警戒水位), or in English the package's English one
 * (`labelEn`); else its colour.
 */
export const lineName = (t: Threshold, colourName: (level: string) => string, chinese = true): string => (chinese ? t.label : t.labelEn) ?? colourName(t.level)

/** Rising, falling or steady against the reading before (within a hundredth of the station's unit: steady). */
export function trendOf(station: Pick<SensorStation, 'kind'>, latest: number, before: number | undefined): 'up' | 'down' | 'flat' {
  if (before === undefined || Math.abs(latest - before) < (station.kind === 'water_level' ? 0.01 : 0.1))
    return 'flat'
  return latest > before ? 'up' : 'down'
}

/** A reading older than this is called out on the wall: a station may have gone quiet. */
export const STALE_AFTER_MS = 30 * 60_000

/** Whole minutes since a reading when it is stale at `now`, else null. */
export function staleMinutes(at: string, now: number): number | null {
  const age = now - Date.parse(at)
  return age > STALE_AFTER_MS ? Math.floor(age / 60_000) : null
}
