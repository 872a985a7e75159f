import type { AppContext } from '../context.ts'
import { startTicker } from '../kernel/ticker.ts'

/**
 * The notification ladder's clock (#17). It moves a task's re-send and escalation itself when their rungs fall due,
 * so it stands in for the wartime clock's steps; both may run (the wartime clock alone, without the ladder, is
 * today's behaviour): whichever moves a task first, the other finds the step done.
 */
export function startNotifyClock(ctx: AppContext, everyMs = ctx.config.notify.everyMs): () => void {
  return startTicker('notification ladder', everyMs, () => ctx.notify.tick())
}
