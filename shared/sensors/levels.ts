import type { Colour } from '../wartime/schema.ts'
import type { SensorKind, SensorStation, Threshold } from './schema.ts'

// Which level a station stands at. Up is immediate: a reading at or over a threshold is at that level. Down waits
// for the reading to fall `hysteresis` under the threshold it stands at, so a level hovering on a line does not
// flap. Pure: the level before and the reading in, the level after out.

export const LEVELS: readonly Colour[] = ['blue', 'yellow', 'orange', 'red']
const RANK: Record<Colour, number> = { blue: 0, yellow: 1, orange: 2, red: 3 }

export const UNITS: Record<SensorKind, string> = { water_level: 'm', rainfall_1h: 'mm/h', rainfall_24h: 'mm/24h', ponding: 'cm' }

/** When sensors.json gives no hysteresis: about the noise of such a sensor, in its unit. */
export const DEFAULT_HYSTERESIS: Record<SensorKind, number> = { water_level: 0.3, rainfall_1h: 5, rainfall_24h: 10, ponding: 5 }

export const hysteresisOf = (s: Pick<SensorStation, 'kind' | 'hysteresis'>): number => s.hysteresis ?? DEFAULT_HYSTERESIS[s.kind]

export const rankOf = (c: Colour | null): number => c === null ? -1 : RANK[c]

/** The station's thresholds, lowest first. */
export function ordered(thresholds: readonly Threshold[]): Threshold[] {
  return [...thresholds].sort((a, b) => RANK[a.level] - RANK[b.level])
}

/** The highest level whose threshold the value reaches, with `margin` taken off every threshold. */
function reached(thresholds: readonly Threshold[], value: number, margin: number, atMost: number): Colour | null {
  let out: Colour | null = null
  for (const t of ordered(thresholds)) {
    if (RANK[t.level] <= atMost && value >= t.value - margin)
      out = t.level
  }
  return out
}

/** The level after a reading, given the level before. */
export function nextLevel(station: Pick<SensorStation, 'kind' | 'hysteresis' | 'thresholds'>, before: Colour | null, value: number): Colour | null {
  const up = reached(station.thresholds, value, 0, RANK.red)
  // Falling: the levels up to the one held stay while the reading is within the hysteresis under their line.
  const held = reached(station.thresholds, value, hysteresisOf(station), rankOf(before))
  return rankOf(up) >= rankOf(held) ? up : held
}

/** The threshold of a level, if the station has one. */
export const thresholdOf = (station: Pick<SensorStation, 'thresholds'>, level: Colour): Threshold | undefined => station.thresholds.find(t => t.level === level)

/** A value as the wall shows it: metres to the centimetre, the rest to a tenth. */
export function formatValue(kind: SensorKind, value: number): string {
  return kind === 'water_level' ? value.toFixed(2) : value.toFixed(1)
}

/** Problems of a station's thresholds: one per colour, rising with the colour. */
export function thresholdProblems(thresholds: readonly Threshold[]): string[] {
  const out: string[] = []
  const seen = new Set<Colour>()
  for (const t of thresholds) {
    if (seen.has(t.level))
      out.push(`level ${t.level} is given twice`)
    seen.add(t.level)
  }
  const sorted = ordered(thresholds)
  for (let i = 1; i < sorted.length; i++) {
    if (sorted[i]!.value <= sorted[i - 1]!.value)
      out.push(`${sorted[i]!.level} (${sorted[i]!.value}) must be above ${sorted[i - 1]!.level} (${sorted[i - 1]!.value})`)
  }
  return out
}
