/**
 * Runs `task` every `everyMs`, never two at once (a slow run skips the next tick); failures are logged,
 * never thrown into the timer. Returns a stop function.
 */
export function startTicker(name: string, everyMs: number, task: () => Promise<unknown>, opts: { immediate?: boolean } = {}): () => void {
  let running = false
  const run = async () => {
    if (running)
      return
    running = true
    try {
      await task()
    }
    catch (e) {
      console.error(`${name}:`, e instanceof Error ? e.message : e)
    }
    finally {
      running = false
    }
  }
  const timer = setInterval(run, everyMs)
  timer.unref()
  if (opts.immediate)
    void run()
  return () => clearInterval(timer)
}
