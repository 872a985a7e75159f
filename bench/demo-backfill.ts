// The demo's first start builds 13 months of history, then stores it: building against storing the same
// mutations in a fresh SQLite file (migrations and reference data already in). Was a `< 3000 ms` assertion
// in tests/server/demo/backfill.test.ts.
import type { IncidentMutation } from '../server/db/store.ts'
import type { BenchOptions, BenchResult } from './lib/common.ts'
import { join } from 'node:path'
import { createSqliteStore } from '../server/db/sqlite/store.ts'
import { buildBackfill } from '../server/demo/sim/backfill.ts'
import { seedPackage } from '../server/setup/service.ts'
import { buildCuntanPackage } from '../server/territory/cuntan/package.ts'
import { buildCuntanReference } from '../server/territory/cuntan/reference.ts'
import { DEFAULT_CATALOG } from '../shared/organisation/catalog.ts'
import { alternate, benchDir, median, ms, now, times } from './lib/common.ts'

/** What server/demo/index.ts back-fills. */
const MONTHS = 13
/** Building the history costs no more than storing it, so it never dominates a first start. */
const GOAL = 1

export async function demoBackfill(opts: BenchOptions): Promise<BenchResult> {
  const rounds = opts.long ? 7 : 3
  const ref = buildCuntanReference()
  const at = new Date()
  const build = () => buildBackfill(ref, DEFAULT_CATALOG, { now: at, months: MONTHS, seed: 'bench' })
  const mutations: IncidentMutation[] = build()
  const incidents = new Set(mutations.map(m => m.incident.id)).size
  const tmp = benchDir('backfill')
  const errors: string[] = []
  let files = 0
  try {
    const { a: built, b: stored } = await alternate(rounds, () => {
      const t0 = now()
      const again = build()
      const took = now() - t0
      if (again.length !== mutations.length)
        errors.push(`the same seed built ${again.length} mutations, then ${mutations.length}`)
      return took
    }, async () => {
      const store = createSqliteStore({ file: join(tmp.dir, `round-${files++}.sqlite`) })
      await store.migrate()
      await seedPackage(store, { ...buildCuntanPackage(), reference: ref })
      const t0 = now()
      await store.importMutations(mutations)
      const took = now() - t0
      const held = await store.countIncidents()
      await store.close()
      if (held !== incidents)
        errors.push(`imported ${incidents} incidents, the store holds ${held}`)
      return took
    })
    const ratio = median(built) / median(stored)
    return {
      name: `demo-backfill (${MONTHS} months, ${rounds} rounds per side, alternating, median)`,
      rows: [
        { metric: `build the history (${incidents.toLocaleString('en-US')} incidents, ${mutations.length.toLocaleString('en-US')} steps)`, value: ms(median(built)), baseline: `${ms(median(stored))} to store it`, ratio: times(ratio), goal: `≤ ${GOAL}×`, pass: ratio <= GOAL },
      ],
      errors,
      notes: [
        `build: server/demo/sim/backfill.ts buildBackfill, seed "bench"; store: importMutations into a fresh file store (synchronous=FULL) on ${process.env.BENCH_DIR ? 'BENCH_DIR' : 'os.tmpdir()'}`,
        `rounds: build ${built.map(v => v.toFixed(0)).join(', ')} ms; store ${stored.map(v => v.toFixed(0)).join(', ')} ms`,
      ],
    }
  }
  finally {
    tmp.cleanup()
  }
}
