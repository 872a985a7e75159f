// A short two-note chime for "new for you", made in code (nothing to download, nothing for a CSP to block).
// Audio starts only after a user gesture; the desk unlocks it on the first key or click.

let ctx: AudioContext | null = null

declare global {
  interface Window { __onescreenDesk?: { chimes: number, sounded: number } }
}
/** Counts for browser tests: chimes asked for, and those actually played. */
const counts = (window.__onescreenDesk = { chimes: 0, sounded: 0 })

export function unlockChime(): void {
  ctx ??= new AudioContext()
  if (ctx.state === 'suspended')
    void ctx.resume().catch(() => null)
}

export function chime(): void {
  counts.chimes++
  if (!ctx || ctx.state !== 'running')
    return
  counts.sounded++
  const t0 = ctx.currentTime
  for (const [n, hz] of [660, 990].entries()) {
    const osc = ctx.createOscillator()
    const gain = ctx.createGain()
    osc.frequency.value = hz
    gain.gain.setValueAtTime(0.0001, t0 + n * 0.16)
    gain.gain.exponentialRampToValueAtTime(0.3, t0 + n * 0.16 + 0.02)
    gain.gain.exponentialRampToValueAtTime(0.0001, t0 + n * 0.16 + 0.15)
    osc.connect(gain).connect(ctx.destination)
    osc.start(t0 + n * 0.16)
    osc.stop(t0 + n * 0.16 + 0.17)
  }
}
