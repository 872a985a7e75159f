// A wartime task must be noticed in a pocket: a loud two-tone alert and a long vibration. Audio can only start
// after a user gesture, so the context is created (and unlocked) on the first tap on the page.

let ctx: AudioContext | null = null

export function unlockAudio(): void {
  ctx ??= new AudioContext()
  if (ctx.state === 'suspended')
    void ctx.resume().catch(() => null)
}

declare global {
  interface Window { __onescreenField?: { alerts: number, sounded: number, notices: number } }
}
/** Counts for browser tests and for checking a phone from DevTools: alerts raised, and those heard. */
const counts = (window.__onescreenField = { alerts: 0, sounded: 0, notices: 0 })

/** Plays the pitches one after another, `step` seconds apart, 0.2 s each; false while audio is locked. */
function tones(pitches: number[], step: number): boolean {
  if (!ctx || ctx.state !== 'running')
    return false
  const t0 = ctx.currentTime
  for (const [n, hz] of pitches.entries()) {
    const osc = ctx.createOscillator()
    const gain = ctx.createGain()
    osc.frequency.value = hz
    gain.gain.setValueAtTime(0.0001, t0 + n * step)
    gain.gain.exponentialRampToValueAtTime(0.4, t0 + n * step + 0.02)
    gain.gain.exponentialRampToValueAtTime(0.0001, t0 + n * step + 0.2)
    osc.connect(gain).connect(ctx.destination)
    osc.start(t0 + n * step)
    osc.stop(t0 + n * step + 0.22)
  }
  return true
}

/**
 * A message from the command center or an escalation to acknowledge: a three-note chime unlike the task alarm,
 * so the worker knows which it is without looking, and two shorter buzzes.
 */
export function noticeAlert(): void {
  counts.notices++
  navigator.vibrate?.([250, 120, 250])
  if (tones([660, 880, 1175], 0.22))
    counts.sounded++
}

export function taskAlert(): void {
  counts.alerts++
  navigator.vibrate?.([400, 150, 400, 150, 400])
  if (tones([988, 740, 988, 740], 0.25))
    counts.sounded++
}
