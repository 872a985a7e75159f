import { playTones, unlockTones } from '../../ui/tones.ts'

// A short two-note chime for "new for you". The desk unlocks audio on the first key or click.

declare global {
  interface Window { __onescreenDesk?: { chimes: number, sounded: number } }
}
/** Counts for browser tests: chimes asked for, and those actually played. */
const counts = (window.__onescreenDesk = { chimes: 0, sounded: 0 })

export const unlockChime = unlockTones

export function chime(): void {
  counts.chimes++
  if (playTones([660, 990], 0.16, { peak: 0.3, length: 0.15 }))
    counts.sounded++
}
