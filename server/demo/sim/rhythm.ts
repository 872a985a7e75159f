import type { Rng } from '../../kernel/random.ts'
import { SHANGHAI_OFFSET_MS } from '../../../shared/kernel/time.ts'

// When things happen, on Chongqing's calendar (shared/kernel/time.ts).
const MINUTE = 60_000
const DAY = 24 * 3_600_000

/** Relative report volume per local hour: quiet nights, peaks 9–11 and 14–17 (office and patrol hours). */
export const HOUR_WEIGHTS: readonly number[] = [
  0.15,
  0.08,
  0.05,
  0.05,
  0.05,
  0.1,
  0.3,
  0.8,
  1.6,
  2.6,
  3.0,
  2.8,
  1.6,
  1.3,
  2.5,
  2.8,
  2.7,
  2.4,
  1.6,
  1.2,
  0.9,
  0.7,
  0.45,
  0.25,
]
const HOUR_MEAN = HOUR_WEIGHTS.reduce((s, w) => s + w, 0) / 24
/** Sunday first, as Date#getUTCDay counts. Weekends are quieter: fewer patrols, offices closed. */
const WEEKDAY_WEIGHTS: readonly number[] = [0.65, 1, 1, 1, 1, 1, 0.75]

function pickWeighted(rng: Rng, weights: readonly number[]): number {
  let r = rng.next() * weights.reduce((s, w) => s + w, 0)
  for (let i = 0; i < weights.length; i++) {
    r -= weights[i]!
    if (r < 0)
      return i
  }
  return weights.length - 1
}

/** A report time in [from, to) following the weekly and daily rhythm. */
export function sampleReportTime(rng: Rng, from: number, to: number): number {
  const firstDay = Math.floor((from + SHANGHAI_OFFSET_MS) / DAY)
  const lastDay = Math.floor((to - 1 + SHANGHAI_OFFSET_MS) / DAY)
  const days = Array.from({ length: lastDay - firstDay + 1 }, (_, i) => firstDay + i)
  const dayWeights = days.map(d => WEEKDAY_WEIGHTS[new Date(d * DAY).getUTCDay()]!)
  for (let attempt = 0; attempt < 50; attempt++) {
    const day = days[pickWeighted(rng, dayWeights)]!
    const t = day * DAY - SHANGHAI_OFFSET_MS + pickWeighted(rng, HOUR_WEIGHTS) * 60 * MINUTE + Math.floor(rng.next() * 60 * MINUTE)
    if (t >= from && t < to)
      return t
  }
  return from + Math.floor(rng.next() * (to - from))
}

/** Mean simulated minutes between live reports at this local hour (the live demo runs busier than history). */
export function liveMeanGapMinutes(hour: number): number {
  return 2.5 * HOUR_MEAN / Math.max(HOUR_WEIGHTS[hour] ?? HOUR_MEAN, 0.2)
}
