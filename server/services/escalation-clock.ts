import type { AppContext } from '../context.ts'

/** Periodically moves overdue incidents up one loop. Returns a stop function. */
export function startEscalationClock(ctx: AppContext): () => void {
  let running = false
  const timer = setInterval(async () => {
    if (running)
      return
    running = true
    try {
      await ctx.incidents.escalateDue()
    }
    catch (e) {
      console.error('escalation clock:', e)
    }
    finally {
      running = false
    }
  }, ctx.config.escalateEveryMs)
  timer.unref()
  return () => clearInterval(timer)
}
