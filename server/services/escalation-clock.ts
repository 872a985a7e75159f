import type { AppContext } from '../context.ts'

/** The wartime acknowledgement clock: re-sends and escalations are due to the second, so it ticks often. */
export function startWartimeClock(ctx: AppContext, everyMs = 2000): () => void {
  let running = false
  const timer = setInterval(async () => {
    if (running)
      return
    running = true
    try {
      await ctx.wartime.tick()
    }
    catch (e) {
      console.error('wartime clock:', e)
    }
    finally {
      running = false
    }
  }, everyMs)
  timer.unref()
  return () => clearInterval(timer)
}

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
