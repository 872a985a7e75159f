// Alerts made in code (nothing to download, nothing for a CSP to block): the phone's task alarm and notice chime,
// the desk's "new for you". Audio may start only after a user gesture, so each screen unlocks it on the first one.

let ctx: AudioContext | null = null

/** Creates (or resumes) the one audio context; call it from a user gesture. */
export function unlockTones(): void {
  ctx ??= new AudioContext()
  if (ctx.state === 'suspended')
    void ctx.resume().catch(() => null)
}

/**
 * Plays the pitches one after another, `step` seconds apart, each `length` seconds long rising to `peak`;
 * false while audio is still locked.
 */
export function playTones(pitches: readonly number[], step: number, opts: { peak: number, length: number }): boolean {
  if (!ctx || ctx.state !== 'running')
    return false
  const t0 = ctx.currentTime
  for (const [n, hz] of pitches.entries()) {
    const at = t0 + n * step
    const osc = ctx.createOscillator()
    const gain = ctx.createGain()
    osc.frequency.value = hz
    gain.gain.setValueAtTime(0.0001, at)
    gain.gain.exponentialRampToValueAtTime(opts.peak, at + 0.02)
    gain.gain.exponentialRampToValueAtTime(0.0001, at + opts.length)
    osc.connect(gain).connect(ctx.destination)
    osc.start(at)
    osc.stop(at + opts.length + 0.02)
  }
  return true
}
