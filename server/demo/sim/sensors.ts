import type { SensorReadingIn } from '../../../shared/sensors/schema.ts'
import type { AppContext } from '../../context.ts'
import { SYSTEM_PRINCIPAL } from '../../../shared/auth/authz.ts'
import { INTERNAL } from '../../audit/service.ts'

// The demo's sensor feed: the Yangtze at 寸滩 through a flood-season rise, and two ponding sensors that stay dry.
// Three days are back-filled hourly (the river climbing past 设防水位); from the demo's start the river goes on
// rising about 0.4 m an hour, crosses 警戒水位 180.5 m about an hour and a half in and 保证水位 183.5 m about nine hours
// in (simulated: ONESCREEN_SIM_SPEED), peaks near 184.3 m and falls back under every line within two days.

const HOUR = 3_600_000
const META_ANCHOR = 'demo_sensor_anchor'

/** [hours from the demo's start, metres]: a hydrograph shaped like the July floods at 寸滩. */
const YANGTZE: readonly [number, number][] = [
  [-72, 172.4],
  [-48, 174.0],
  [-24, 176.1],
  [-8, 178.0],
  [-4, 178.9],
  [0, 180.1],
  [3, 181.3],
  [6, 182.5],
  [9, 183.6],
  [12, 184.3],
  [15, 184.0],
  [18, 183.0],
  [24, 181.2],
  [30, 179.8],
  [36, 178.4],
  [48, 176.5],
  [72, 174.8],
]

/** The 寸滩 level `h` hours from the demo's start: a smooth curve through the points, a few centimetres of chop. */
export function yangtzeLevel(h: number): number {
  const last = YANGTZE.at(-1)!
  const i = YANGTZE.findIndex(([x]) => x > h)
  let base: number
  if (i === -1) {
    base = last[1]
  }
  else if (i === 0) {
    base = YANGTZE[0]![1]
  }
  else {
    const [x0, y0] = YANGTZE[i - 1]!
    const [x1, y1] = YANGTZE[i]!
    base = y0 + (y1 - y0) * (1 - Math.cos(Math.PI * (h - x0) / (x1 - x0))) / 2
  }
  return Math.round((base + 0.03 * Math.sin(h * 7.3) + 0.02 * Math.sin(h * 3.1)) * 100) / 100
}

/** A dry street: a centimetre or two of standing water after a shower, never near a line. */
const ponding = (h: number, phase: number): number => Math.round(Math.max(0, 1.2 + 1.4 * Math.sin(h / 5 + phase)) * 10) / 10

function readingsAt(ctx: AppContext, at: number, anchor: number): SensorReadingIn[] {
  const h = (at - anchor) / HOUR
  const known = new Set((ctx.live.pkg.sensors ?? []).map(s => s.id))
  const all: SensorReadingIn[] = [
    { stationId: 'cuntan-hydro', at: new Date(at).toISOString(), value: yangtzeLevel(h) },
    { stationId: 'ponding-cuntan-07', at: new Date(at).toISOString(), value: ponding(h, 0) },
    { stationId: 'ponding-heishizi-14', at: new Date(at).toISOString(), value: ponding(h, 2) },
  ]
  return all.filter(r => known.has(r.stationId))
}

const report = (ctx: AppContext, readings: SensorReadingIn[]) => ctx.sensors.report({ principal: SYSTEM_PRINCIPAL, origin: INTERNAL }, readings)

/** The demo's start as the series knows it; the first start back-fills the three days before it, hourly. */
export async function backfillSensors(ctx: AppContext): Promise<number> {
  const held = await ctx.store.auth.getMeta(META_ANCHOR)
  if (held)
    return Date.parse(held)
  const anchor = ctx.now().getTime()
  const readings: SensorReadingIn[] = []
  for (let h = -72; h <= 0; h++)
    readings.push(...readingsAt(ctx, anchor + h * HOUR, anchor))
  const res = await report(ctx, readings)
  if (!res.ok)
    throw new Error(`demo sensors: ${res.message}`)
  await ctx.store.auth.setMeta(META_ANCHOR, new Date(anchor).toISOString())
  return anchor
}

/** A reading per station every five simulated minutes, on the demo's hydrograph. */
export function startSensorFeed(ctx: AppContext, opts: { speed: number, anchor: number }): { stop: () => void } {
  const everyMs = Math.max(2000, 5 * 60_000 / opts.speed)
  const started = ctx.now().getTime()
  const tick = () => {
    const at = ctx.now().getTime()
    // Simulated hours since the demo's start: the river runs at the simulator's speed.
    const simulated = opts.anchor + (started - opts.anchor) + (at - started) * opts.speed
    report(ctx, readingsAt(ctx, simulated, opts.anchor).map(r => ({ ...r, at: new Date(at).toISOString() })))
      .then(res => res.ok || console.warn(`demo sensors: ${res.message}`), (e: unknown) => console.error('demo sensors:', e))
  }
  const timer = setInterval(tick, everyMs)
  timer.unref()
  tick()
  return { stop: () => clearInterval(timer) }
}
