import type { AppContext } from '../context.ts'
import { startTicker } from '../kernel/ticker.ts'

/** The wartime acknowledgement clock: re-sends and escalations are due to the second, so it ticks often. */
export function startWartimeClock(ctx: AppContext, everyMs = 2000): () => void {
  return startTicker('wartime clock', everyMs, () => ctx.wartime.tick())
}
