import type { AppContext } from '../context.ts'
import { startTicker } from '../kernel/ticker.ts'

/** The information reports' clock: deadlines are minutes apart, so a few seconds' tick is exact enough. */
export function startInfoReportClock(ctx: AppContext, everyMs = 5000): () => void {
  return startTicker('inforeport clock', everyMs, () => ctx.inforeports.tick())
}
