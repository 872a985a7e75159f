import { playTones, unlockTones } from '../../ui/tones.ts'

// A wartime task must be noticed in a pocket: a loud two-tone alert and a long vibration. Audio is unlocked on the
// first tap on the page.

export const unlockAudio = unlockTones

declare global {
  interface Window { __onescreenField?: { alerts: number, sounded: number, notices: number } }
}
/** Counts for browser tests and for checking a phone from DevTools: alerts raised, and those heard. */
const counts = (window.__onescreenField = { alerts: 0, sounded: 0, notices: 0 })

/** The phone's tones: 0.2 s each, loud enough for a pocket. */
const tones = (pitches: number[], step: number) => playTones(pitches, step, { peak: 0.4, length: 0.2 })

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
