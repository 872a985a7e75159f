/**
 * Runs `fn` once on the next animation frame however often it is asked for before then, so a burst of socket
 * messages costs one store update and one render. Falls back to a timer when frames stop (a hidden tab), so
 * state never falls behind the stream.
 */
export function frameBatcher(fn: () => void, fallbackMs = 250): () => void {
  let frame: number | undefined
  let timer: ReturnType<typeof setTimeout> | undefined
  const run = () => {
    if (frame !== undefined)
      cancelAnimationFrame(frame)
    clearTimeout(timer)
    frame = undefined
    timer = undefined
    fn()
  }
  return () => {
    if (frame !== undefined || timer !== undefined)
      return
    frame = requestAnimationFrame(run)
    timer = setTimeout(run, fallbackMs)
  }
}
