// A wartime task must be noticed in a pocket: a loud two-tone alert and a long vibration. Audio can only start
// after a user gesture, so the context is created (and unlocked) on the first tap on the page.

let ctx: AudioContext | null = null

export function unlockAudio(): void {
  ctx ??= new AudioContext()
  if (ctx.state === 'suspended')
    void ctx.resume().catch(() => null)
}

declare global {
  interface Window { __onescreenField?: { alerts: number, sounded: number } }
}
/** Counts for browser tests and for checking a phone from DevTools: alerts raised, and those heard. */
const counts = (window.__onescreenField = { alerts: 0, sounded: 0 })

export function taskAlert(): void {
  counts.alerts++
  navigator.vibrate?.([400, 150, 400, 150, 400])
  if (!ctx || ctx.state !== 'running')
    return
  counts.sounded++
  const t0 = ctx.currentTime
  for (const [n, hz] of [988, 740, 988, 740].entries()) {
    const osc = ctx.createOscillator()
    const gain = ctx.createGain()
    osc.frequency.value = hz
    gain.gain.setValueAtTime(0.0001, t0 + n * 0.25)
    gain.gain.exponentialRampToValueAtTime(0.4, t0 + n * 0.25 + 0.02)
    gain.gain.exponentialRampToValueAtTime(0.0001, t0 + n * 0.25 + 0.2)
    osc.connect(gain).connect(ctx.destination)
    osc.start(t0 + n * 0.25)
    osc.stop(t0 + n * 0.25 + 0.22)
  }
}
