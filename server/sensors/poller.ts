import type { SensorReadingIn } from '../../shared/sensors/schema.ts'
import type { AppContext } from '../context.ts'
import { Type } from 'typebox'
import { Compile } from 'typebox/compile'
import { SYSTEM_PRINCIPAL } from '../../shared/auth/authz.ts'
import { MAX_READINGS, SensorReadingIn as ReadingT } from '../../shared/sensors/schema.ts'
import { INTERNAL } from '../audit/service.ts'
import { startTicker } from '../kernel/ticker.ts'

// Optional poll of a sensor network (off by default: command halls sit on closed networks). Each poll GETs one
// URL answering JSON readings, `[{ stationId, at, value }]` or `{ readings: [...] }`, and puts them through the
// same intake as POST /api/sensors/readings: a reading already held is a no-op, so the URL may answer the last
// hours every time. Readings of stations the package does not know are left out (and logged once per station).

const Answer = Compile(Type.Union([Type.Array(ReadingT), Type.Object({ readings: Type.Array(ReadingT) })]))

export function startSensorPoller(ctx: AppContext, opts: { url: string, everyMs: number, fetch?: typeof fetch }): () => void {
  const get = opts.fetch ?? fetch
  const warned = new Set<string>()

  async function poll(): Promise<void> {
    const res = await get(opts.url, { signal: AbortSignal.timeout(15_000), headers: { accept: 'application/json' } })
    if (!res.ok)
      throw new Error(`sensor feed ${opts.url}: HTTP ${res.status}`)
    const body: unknown = await res.json()
    if (!Answer.Check(body))
      throw new Error(`sensor feed ${opts.url}: not a list of readings ({ stationId, at, value })`)
    const all: SensorReadingIn[] = Array.isArray(body) ? body : body.readings
    const known = new Set((ctx.live.pkg.sensors ?? []).map(s => s.id))
    for (const r of all.filter(r => !known.has(r.stationId) && !warned.has(r.stationId))) {
      warned.add(r.stationId)
      console.warn(`sensor feed: station ${r.stationId} is not in sensors.json; its readings are left out`)
    }
    const readings = all.filter(r => known.has(r.stationId))
    for (let i = 0; i < readings.length; i += MAX_READINGS) {
      const res = await ctx.sensors.report({ principal: SYSTEM_PRINCIPAL, origin: INTERNAL }, readings.slice(i, i + MAX_READINGS))
      if (!res.ok)
        throw new Error(`sensor feed ${opts.url}: ${res.message} (${res.field ?? ''})`)
    }
  }

  return startTicker('sensor feed', opts.everyMs, poll, { immediate: true })
}
