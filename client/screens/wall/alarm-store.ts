import type { Change } from '../../../shared/sync/schema.ts'
import { defineStore } from 'pinia'
import { shallowRef } from 'vue'
import { RingBuffer } from '../../ui/ring.ts'

export interface Alarm { incidentId: string, at: number }

/** Severity I and II are alarms; III and IV are routine. */
const ALARM_SEVERITY = 2
/** An alarm flashes this long unless someone opens it first. */
const FLASH_MS = 30_000
/** A report older than this when it reaches the wall (replayed after an outage) is listed but not sounded. */
const FRESH_MS = 10 * 60_000
const MUTE_KEY = 'onescreen.muted'

/** New severe incidents: they flash on the wall and sound once each, unless muted. */
export const useAlarmStore = defineStore('alarm', () => {
  const ring = new RingBuffer<Alarm>(5)
  const active = shallowRef<Alarm[]>([])
  const muted = shallowRef(localStorage.getItem(MUTE_KEY) === '1')
  /** Incremented for every alarm that should be heard: the sound player watches it. */
  const rings = shallowRef(0)
  let expiry: ReturnType<typeof setTimeout> | undefined

  function publish(now = Date.now()): void {
    active.value = ring.toArray().filter(a => now - a.at < FLASH_MS)
    clearTimeout(expiry)
    const next = Math.min(...active.value.map(a => a.at + FLASH_MS))
    if (Number.isFinite(next))
      expiry = setTimeout(() => publish(), next - now + 10)
  }

  function apply(changes: readonly Change[], now = Date.now()): void {
    let sound = false
    for (const c of changes) {
      if (c.kind !== 'incident' || c.action !== 'report' || c.data.severity > ALARM_SEVERITY)
        continue
      ring.pushUnique({ incidentId: c.id, at: now }, a => a.incidentId === c.id)
      sound ||= now - Date.parse(c.data.reportedAt) < FRESH_MS
    }
    if (sound)
      rings.value++
    publish(now)
  }

  /** Someone looked at it: stop flashing. */
  function acknowledge(incidentId: string): void {
    const kept = ring.toArray().filter(a => a.incidentId !== incidentId).reverse()
    ring.clear()
    for (const a of kept) ring.push(a)
    publish()
  }

  function toggleMute(): void {
    muted.value = !muted.value
    localStorage.setItem(MUTE_KEY, muted.value ? '1' : '0')
  }

  return { active, muted, rings, apply, acknowledge, toggleMute }
})
