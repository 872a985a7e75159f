import type { SensorIntake, SensorReading, SensorReadingIn, SensorState, SensorStation } from '../../shared/sensors/schema.ts'
import type { Colour, Warning } from '../../shared/wartime/schema.ts'
import type { Audit, Call } from '../audit/service.ts'
import type { Store } from '../db/store.ts'
import type { LiveReference } from '../setup/live.ts'
import { fail, succeed } from '../../shared/kernel/result.ts'
import { nextLevel } from '../../shared/sensors/levels.ts'
import { sensorSender, sensorWarning, sensorWarningEnded } from '../../shared/sensors/warning.ts'
import { entity } from '../db/store.ts'
import { KeyedLock } from '../kernel/keyed-lock.ts'

/** A reading may be stamped this far ahead of the server's clock (a station's clock runs a little fast). */
const FUTURE_SLACK_MS = 5 * 60_000
const TRIM_EVERY_MS = 3_600_000
const DAY_MS = 86_400_000

interface Held { level: Colour | null, warningId: string | null, latest: SensorReading | null }

export interface SensorDeps { store: Store, audit: Audit, live: LiveReference, now: () => Date, retentionDays: number }

/**
 * Sensor readings in (HTTP, the poller, the demo): stored, then each station's newest reading moves its level
 * (shared/sensors/levels.ts). A level reached from nothing opens a `warning` with a proposal, as a CAP alert does;
 * a level change updates it; falling back under every level (after the hysteresis) expires it. A person decides.
 */
export function createSensorService(deps: SensorDeps) {
  const lock = new KeyedLock()
  const listeners = new Set<(states: SensorState[]) => void>()
  // One load at a time: two callers loading at once (the wall's list beside an intake) would each make a map, and
  // the intake would move the levels of the one the other replaced.
  let held: Promise<Map<string, Held>> | null = null
  let trimmedAt = 0
  // A new package may add, move or drop stations: what is held is read again from the store.
  deps.live.onChange(() => {
    held = null
  })

  const stations = (): SensorStation[] => deps.live.pkg.sensors ?? []

  function load(): Promise<Map<string, Held>> {
    held ??= (async () => {
      const latest = new Map((await deps.store.sensors.latest()).map(r => [r.stationId, r]))
      const open = (await deps.store.listEntities('warning')).filter(w => w.state === 'active' && w.sender.startsWith('sensor:'))
      const next = new Map<string, Held>()
      for (const s of stations()) {
        const w = open.find(x => x.sender === sensorSender(s.id))
        next.set(s.id, { level: w?.colour ?? null, warningId: w?.id ?? null, latest: latest.get(s.id) ?? null })
      }
      return next
    })()
    const loading = held
    // A failed read is not kept: the next caller reads again.
    loading.catch(() => {
      if (held === loading)
        held = null
    })
    return loading
  }

  const stateOf = (s: SensorStation, h: Held | undefined): SensorState => ({ station: s, latest: h?.latest ?? null, level: h?.level ?? null, warningId: h?.warningId ?? null })

  /** Readings as stored: every one names a station of the package, at a real time not far in the future. */
  function normalise(readings: SensorReadingIn[], now: Date): SensorReading[] | ReturnType<typeof fail> {
    const known = new Set(stations().map(s => s.id))
    const out: SensorReading[] = []
    for (const [i, r] of readings.entries()) {
      const field = readings.length > 1 ? `readings[${i}]` : 'reading'
      if (!known.has(r.stationId))
        return fail('invalid', `station ${r.stationId} is not in the package's sensors.json`, `${field}.stationId`)
      const at = r.at === undefined ? now.getTime() : Date.parse(r.at)
      if (!Number.isFinite(at))
        return fail('invalid', `at ${r.at} is not a date and time (ISO 8601)`, `${field}.at`)
      if (at > now.getTime() + FUTURE_SLACK_MS)
        return fail('invalid', `at ${r.at} is in the future`, `${field}.at`)
      if (!Number.isFinite(r.value) || Math.abs(r.value) > 1e6)
        return fail('invalid', `value ${r.value} is not a plausible reading`, `${field}.value`)
      out.push({ stationId: r.stationId, at: new Date(at).toISOString(), value: r.value })
    }
    return out
  }

  /** Moves one station through its new readings, oldest first; commits each warning change as it happens. */
  async function advance(call: Call, role: string, s: SensorStation, h: Held, readings: SensorReading[]): Promise<string[]> {
    const changed: string[] = []
    for (const r of readings) {
      if (h.latest && r.at <= h.latest.at)
        continue // late or repeated: stored, but the level follows the newest reading only
      h.latest = r
      const level = nextLevel(s, h.level, r.value)
      if (level === h.level)
        continue
      const current: Warning | null = h.warningId ? await deps.store.getEntity('warning', h.warningId) : null
      const at = deps.now()
      let w: Warning | null = null
      if (level !== null) {
        const plans = (await deps.store.listEntities('plan')).filter(p => !p.retired)
        w = sensorWarning({ station: s, level, reading: r, current: current?.state === 'active' ? current : null, plans, grids: deps.live.reference.territory.grids, now: at })
      }
      else if (current?.state === 'active') {
        w = sensorWarningEnded(current, r, s, at)
      }
      const before = h.level
      h.level = level
      h.warningId = level === null ? null : w?.id ?? null
      if (!w)
        continue
      const action = level === null ? 'expire' : w.version === 1 ? 'receive' : 'update'
      const audit = deps.audit.entry(call.principal, call.origin, { action: 'sensor:warning', target: w.id, result: 'allow', role, detail: `${s.id} ${before ?? 'none'} → ${level ?? 'none'} at ${r.value} (${r.at})` })
      await deps.store.commit({ mutations: [entity('warning', w, action, at.toISOString())], audit })
      changed.push(w.id)
    }
    return changed
  }

  return {
    /** Every station of the package in force, with its latest reading and level: the wall's panel. */
    async list(): Promise<SensorState[]> {
      const h = await load()
      return stations().map(s => stateOf(s, h.get(s.id)))
    },

    /** A station's readings over the last `hours` (oldest first), for a chart. */
    async series(stationId: string, hours: number) {
      if (!stations().some(s => s.id === stationId))
        return fail('not_found', `station ${stationId} is not in the package's sensors.json`, 'id')
      const to = deps.now().getTime() + FUTURE_SLACK_MS
      return succeed(await deps.store.sensors.series(stationId, new Date(to - hours * 3_600_000).toISOString(), new Date(to).toISOString(), 5000))
    },

    /** Readings in: authorise, store (a resend is a no-op), move each station's level, tell the screens. */
    async report(call: Call, readings: SensorReadingIn[]) {
      const g = await deps.audit.guard(call, 'sensor:report')
      if (!g.ok)
        return g
      const now = deps.now()
      const rows = normalise(readings, now)
      if (!Array.isArray(rows))
        return rows
      return lock.run('sensors', async () => {
        // What is held is read before the insert: the new readings are the ones to move the levels.
        const h = await load()
        const accepted = await deps.store.sensors.insert(rows, now.toISOString())
        const warnings: string[] = []
        const touched: SensorState[] = []
        for (const s of stations()) {
          const mine = rows.filter(r => r.stationId === s.id).sort((a, b) => a.at.localeCompare(b.at))
          if (mine.length === 0)
            continue
          const state = h.get(s.id) ?? { level: null, warningId: null, latest: null }
          h.set(s.id, state)
          warnings.push(...await advance(call, g.role, s, state, mine))
          touched.push(stateOf(s, state))
        }
        await deps.store.auth.appendAudit({ ...g.audit, detail: `${accepted} of ${rows.length} readings new${warnings.length ? `; warnings ${warnings.join(' ')}` : ''}` })
        if (now.getTime() - trimmedAt > TRIM_EVERY_MS) {
          trimmedAt = now.getTime()
          await deps.store.sensors.trim(new Date(now.getTime() - deps.retentionDays * DAY_MS).toISOString())
        }
        for (const l of listeners) l(touched)
        const answer: SensorIntake = { accepted, duplicates: rows.length - accepted, warnings: [...new Set(warnings)] }
        return succeed(answer, { created: accepted > 0 })
      })
    },

    /** Called after each intake with the stations it touched (the wall's live panel). */
    onReadings(listener: (states: SensorState[]) => void): () => void {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
  }
}

export type SensorService = ReturnType<typeof createSensorService>
