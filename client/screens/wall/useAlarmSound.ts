import { onScopeDispose, shallowRef, watch } from 'vue'
import { debugHooks } from '../../modules/debug.ts'
import { useAlarmStore } from './alarm-store.ts'

/** A two-tone alert (880 Hz / 660 Hz, twice), made in code: nothing to download, nothing for a CSP to block. */
function alertTone(ctx: AudioContext): AudioBuffer {
  const rate = ctx.sampleRate
  const beep = 0.18
  const gap = 0.07
  const tones = [880, 660, 880, 660]
  const buffer = ctx.createBuffer(1, Math.ceil(rate * tones.length * (beep + gap)), rate)
  const data = buffer.getChannelData(0)
  tones.forEach((hz, n) => {
    const start = Math.floor(n * (beep + gap) * rate)
    const len = Math.floor(beep * rate)
    for (let k = 0; k < len; k++) {
      // 10 ms attack and release, so the tone starts and stops without a click.
      const env = Math.min(1, k / (0.01 * rate), (len - k) / (0.01 * rate))
      data[start + k] = 0.35 * env * Math.sin(2 * Math.PI * hz * k / rate)
    }
  })
  return buffer
}

/**
 * Plays the alert whenever the alarm store rings, unless muted. Browsers only start audio after a user gesture
 * unless the kiosk allows autoplay (`--autoplay-policy=no-user-gesture-required`); `blocked` says when one is needed.
 */
export function useAlarmSound() {
  const alarm = useAlarmStore()
  const blocked = shallowRef(false)
  let ctx: AudioContext | null = null
  let tone: AudioBuffer | null = null

  function context(): AudioContext {
    ctx ??= new AudioContext()
    tone ??= alertTone(ctx)
    return ctx
  }

  async function play(): Promise<void> {
    const c = context()
    if (c.state === 'suspended')
      await c.resume().catch(() => null)
    blocked.value = c.state !== 'running'
    if (blocked.value)
      return
    const source = c.createBufferSource()
    source.buffer = tone
    source.connect(c.destination)
    source.start()
    debugHooks.alarmsSounded++
  }

  const unlock = () => {
    if (ctx?.state === 'suspended')
      void ctx.resume().then(() => (blocked.value = ctx?.state !== 'running'))
  }
  window.addEventListener('pointerdown', unlock)
  watch(() => alarm.rings, () => {
    if (!alarm.muted)
      void play()
  })
  onScopeDispose(() => {
    window.removeEventListener('pointerdown', unlock)
    void ctx?.close()
  })
  return { blocked }
}
