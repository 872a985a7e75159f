import type { AppContext } from '../context.ts'
import { startTicker } from '../kernel/ticker.ts'

/** Periodically moves overdue incidents up one loop. Returns a stop function. */
export function startEscalationClock(ctx: AppContext): () => void {
  return startTicker('escalation clock', ctx.config.escalateEveryMs, () => ctx.incidents.escalateDue())
}
