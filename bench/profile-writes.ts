// Profiling driver for the durable-writes path (not part of `npm run bench`): runs the same workload as
// bench/durable-writes.ts against the real service and store, and prints rate and CPU per action.
//   node --import tsx bench/profile-writes.ts [--seconds=5] [--concurrency=128]
//   node --import tsx --cpu-prof --cpu-prof-dir=/tmp/prof bench/profile-writes.ts
// With --duplicates it instead prints how the duplicate search's cost grows with the incidents it holds (1,000 /
// 10,000 / 100,000; reports at a few shared points, or scattered like GPS fixes) against a full scan of the same
// incidents, and exits non-zero if the two ever answer differently.
import type { Store } from '../server/db/store.ts'
import type { Incident } from '../shared/incident/schema.ts'
import { join } from 'node:path'
import { createDuplicateIndex } from '../server/incident/duplicates.ts'
import { duplicateRules, rankDuplicates } from '../shared/incident/duplicates.ts'
import { groupCommit } from './durable-writes.ts'
import { benchContext, benchDir, median, ms, now } from './lib/common.ts'

function arg(name: string, dflt: number): number {
  const hit = process.argv.find(a => a.startsWith(`--${name}=`))
  return hit ? Number(hit.split('=')[1]) : dflt
}

const seconds = arg('seconds', 5)
const concurrency = arg('concurrency', 128)
async function main(): Promise<void> {
  const tmp = benchDir('profile')
  try {
    const { ctx, store } = await benchContext(join(tmp.dir, 'onescreen.sqlite'))
    // Warm-up (JIT, statement cache), then the measured run.
    await groupCommit(ctx, concurrency, 1)
    const cpu0 = process.cpuUsage()
    const run = await groupCommit(ctx, concurrency, seconds)
    const cpu = process.cpuUsage(cpu0)
    ctx.presence.close()
    await store.close()
    const perAction = (cpu.user + cpu.system) / run.actions
    console.log(JSON.stringify({
      rate: Math.round(run.rate),
      actions: run.actions,
      refused: run.refused,
      perCommit: +(run.actions / Math.max(1, run.flushes)).toFixed(1),
      cpuUsPerAction: +perAction.toFixed(1),
      userUs: +(cpu.user / run.actions).toFixed(1),
      sysUs: +(cpu.system / run.actions).toFixed(1),
      p50: ms(run.latency.p50),
      p99: ms(run.latency.p99),
    }))
  }
  finally {
    tmp.cleanup()
  }
}

const H = 3_600_000
const T = Date.parse('2026-06-20T04:00:00.000Z')

/** `n` recent incidents of one category over 40 places, four in five closed within the last two days. */
function held(n: number, gps: boolean, seed: number): Incident[] {
  let s = seed
  const rnd = () => ((s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 2 ** 32)
  const places = Array.from({ length: 40 }, () => ({ lon: 106.5 + rnd() * 0.05, lat: 29.6 + rnd() * 0.05 }))
  return Array.from({ length: n }, (_, i) => {
    const p = places[i % places.length]!
    const location = gps ? { lon: p.lon + (rnd() - 0.5) * 0.01, lat: p.lat + (rnd() - 0.5) * 0.01 } : p
    const reportedAt = new Date(T - rnd() * 48 * H).toISOString()
    const closed = rnd() < 0.8
    return { id: `inc_${seed}_${i}`, version: 1, category: 'garbage', location, reportedAt, state: closed ? 'closed' : 'reported', closedAt: closed ? reportedAt : null, updatedAt: reportedAt } as unknown as Incident
  })
}

async function duplicates(): Promise<void> {
  const rules = duplicateRules()
  let wrong = 0
  for (const gps of [false, true]) {
    for (const n of [1_000, 10_000, 100_000]) {
      const list = held(n, gps, 1)
      const probes = held(100, gps, 2).map(p => ({ ...p, reportedAt: new Date(T).toISOString(), state: 'reported', closedAt: null }) as Incident)
      const index = createDuplicateIndex({ store: { listLive: async () => list, onCommit: () => () => {} } as unknown as Store, now: () => new Date(T) })
      await index.start()
      const bounded: number[] = []
      const full: number[] = []
      // Alternating rounds; the first answers of each are compared.
      for (let round = 0; round < 3; round++) {
        let t = now()
        const got = []
        for (const p of probes) got.push(await index.candidates(p))
        bounded.push((now() - t) * 1000 / probes.length)
        t = now()
        const want = probes.map(p => rankDuplicates(rules, p, list))
        full.push((now() - t) * 1000 / probes.length)
        wrong += got.filter((g, i) => JSON.stringify(g) !== JSON.stringify(want[i])).length
      }
      console.log(`${gps ? 'scattered' : 'shared points'}, ${n.toLocaleString('en-US')} held: bounded ${median(bounded).toFixed(1)} µs/search, full scan ${median(full).toFixed(1)} µs, ratio ${(median(bounded) / median(full)).toFixed(3)}×`)
    }
  }
  if (wrong > 0) {
    console.error(`duplicate search: ${wrong} answer(s) differ from the full scan`)
    process.exit(1)
  }
}

(process.argv.includes('--duplicates') ? duplicates() : main()).catch((e: unknown) => {
  console.error(e)
  process.exit(1)
})
