import type { Rng } from '../kernel/random.ts'
import { createRng } from '../kernel/random.ts'

// How simulated responders behave: most answer within the plan's window, some only when the task rings
// again (the re-send), a few never. Delays are drawn in the plan's minutes, then compressed by the speed.

/** prompt, late, silent: a simulated phone's habit; person: a real responder on their own phone (a real install). */
export type Temper = 'prompt' | 'late' | 'silent' | 'person'
export const TEMPER_LABEL: Record<Temper, string> = { prompt: '及时', late: '重发后应答', silent: '不应答', person: '本人手机' }

/** One responder's script for one task, in real milliseconds (already divided by the speed). */
export interface Script {
  temper: Temper
  /** prompt: after receipt; late: after the re-send rings. */
  ackAfterMs: number
  /** Acknowledged → on scene. */
  travelMs: number
  /** On scene → done. */
  workMs: number
}

export interface Tempers { silent: Set<string>, late: Set<string> }

/** Exactly round(share × n) silent and round(lateShare × n) late people, drawn by the seed. */
export function assignTempers(personIds: string[], rng: Rng, silentShare: number, lateShare: number): Tempers {
  const order = rng.shuffle([...personIds].sort())
  const silentN = Math.min(order.length, Math.round(silentShare * order.length))
  const lateN = Math.min(order.length - silentN, Math.round(lateShare * order.length))
  return { silent: new Set(order.slice(0, silentN)), late: new Set(order.slice(silentN, silentN + lateN)) }
}

/** Log-normal with the given median; `sigma` is the spread of its logarithm. */
function lognormal(rng: Rng, median: number, sigma: number): number {
  // Box–Muller; 1 - next() keeps the log away from 0.
  const z = Math.sqrt(-2 * Math.log(1 - rng.next())) * Math.cos(2 * Math.PI * rng.next())
  return median * Math.exp(sigma * z)
}

const clamp = (v: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, v))

/**
 * The script for one task. `ackMinutes`/`arriveMinutes` are the original plan's; `resendWindowMs` is the
 * server's wait after a re-send (real ms), so a late responder usually answers before escalation.
 */
export function scriptFor(rng: Rng, temper: Temper, t: { ackMinutes: number, arriveMinutes: number }, speed: number, resendWindowMs: number): Script {
  const real = (minutes: number) => (minutes * 60_000) / speed
  const ackAfterMs = temper === 'late'
    ? resendWindowMs * clamp(lognormal(rng, 0.3, 0.5), 0.05, 0.9)
    : real(clamp(lognormal(rng, Math.min(1.2, t.ackMinutes * 0.3), 0.7), 0.1, t.ackMinutes * 0.9))
  return {
    temper,
    ackAfterMs,
    travelMs: real(clamp(lognormal(rng, t.arriveMinutes * 0.5, 0.35), 1, t.arriveMinutes * 1.2)),
    workMs: real(clamp(lognormal(rng, 8, 0.5), 2, 25)),
  }
}

export function drillRng(seed: string): Rng {
  return createRng(`drill:${seed}`)
}
