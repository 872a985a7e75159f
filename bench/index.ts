// `npm run bench` — every benchmark, each against a baseline measured in the same run; prints a table.
// Flags: --long, --only=KEY[,KEY…] with KEY one of writes|live|phones|dispatch|soak|wallscale|cap|backfill|reaction|desk|assign|import|scaling|fanout|reconnect|cluster|postgres, --live-seconds=N, --write-seconds=N, --concurrency=N, --clients=N, --rate=N
import type { BenchOptions, BenchResult, Row } from './lib/common.ts'
import os from 'node:os'
import { durableWrites } from './durable-writes.ts'
import { liveLatency } from './live-latency.ts'

function flag(name: string): string | undefined {
  const hit = process.argv.find(a => a === `--${name}` || a.startsWith(`--${name}=`))
  return hit === undefined ? undefined : (hit.split('=')[1] ?? '')
}
function num(name: string): number | undefined {
  const v = flag(name)
  if (v === undefined)
    return undefined
  const n = Number(v)
  if (!Number.isFinite(n) || n <= 0)
    throw new Error(`--${name} wants a positive number, got "${v}"`)
  return n
}

const opts: BenchOptions = {
  long: flag('long') !== undefined,
  liveSeconds: num('live-seconds'),
  writeSeconds: num('write-seconds'),
  concurrency: num('concurrency'),
  clients: num('clients'),
  rate: num('rate'),
}
const only = flag('only')?.split(',').filter(Boolean)

const benches: { key: string, run: (o: BenchOptions) => Promise<BenchResult> }[] = [
  { key: 'writes', run: durableWrites },
  { key: 'live', run: liveLatency },
  { key: 'phones', run: async o => (await import('./phones.ts')).phones(o) },
  { key: 'dispatch', run: async o => (await import('./dispatch.ts')).dispatch(o) },
  { key: 'soak', run: async o => (await import('./wall-soak.ts')).wallSoak(o) },
  { key: 'wallscale', run: async o => (await import('./wall-scale.ts')).wallScale(o) },
  { key: 'cap', run: async o => (await import('./cap-refusal.ts')).capRefusal(o) },
  { key: 'backfill', run: async o => (await import('./demo-backfill.ts')).demoBackfill(o) },
  { key: 'reaction', run: async o => (await import('./wall-reaction.ts')).wallReaction(o) },
  { key: 'desk', run: async o => (await import('./desk-queue.ts')).deskQueue(o) },
  { key: 'assign', run: async o => (await import('./desk-assign-phone.ts')).deskAssignPhone(o) },
  { key: 'import', run: async o => (await import('./import.ts')).importPackage(o) },
  { key: 'scaling', run: async o => (await import('./scaling.ts')).scaling(o) },
  { key: 'fanout', run: async o => (await import('./fanout.ts')).fanout(o) },
  { key: 'reconnect', run: async o => (await import('./reconnect.ts')).reconnect(o) },
  { key: 'cluster', run: async o => (await import('./cluster-kill.ts')).clusterKill(o) },
  { key: 'postgres', run: async o => (await import('./postgres.ts')).postgres(o) },
]

function table(rows: Row[]): string {
  const head = ['metric', 'OneScreen', 'baseline', 'ratio', 'goal', '']
  const body = rows.map(r => [r.metric, r.value, r.baseline, r.ratio, r.goal, r.pass === null ? '' : r.pass ? 'PASS' : 'MISS'])
  const widths = head.map((h, i) => Math.max(h.length, ...body.map(b => b[i]!.length)))
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`
  return [line(head), `|${widths.map(w => '-'.repeat(w + 2)).join('|')}|`, ...body.map(line)].join('\n')
}

async function main(): Promise<void> {
  const unknown = only?.filter(k => !benches.some(b => b.key === k)) ?? []
  if (unknown.length)
    throw new Error(`--only: no benchmark named ${unknown.join(', ')} (known: ${benches.map(b => b.key).join(', ')})`)
  console.log(`OneScreen bench — node ${process.version}, ${os.cpus().length} cores (${os.cpus()[0]?.model ?? '?'}), load ${os.loadavg().map(l => l.toFixed(2)).join(' ')}`)
  const started = performance.now()
  let failed = false
  for (const b of benches) {
    if (only && !only.includes(b.key))
      continue
    const t0 = performance.now()
    try {
      const res = await b.run(opts)
      console.log(`\n## ${res.name} — ${((performance.now() - t0) / 1000).toFixed(1)} s\n`)
      console.log(table(res.rows))
      for (const n of res.notes) console.log(`  · ${n}`)
      for (const e of res.errors) console.log(`  ✗ ${e}`)
      if (res.errors.length > 0)
        failed = true
    }
    catch (e) {
      failed = true
      console.log(`\n## ${b.key} — FAILED\n`)
      console.error(e)
    }
  }
  console.log(`\ntotal ${((performance.now() - started) / 1000).toFixed(1)} s${failed ? ' — CORRECTNESS FAILURE (see ✗ above)' : ''}`)
  // Goals missed are reported, not fatal (the machine is shared and noisy); lost or missing data is.
  process.exit(failed ? 1 : 0)
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e)
  process.exit(2)
})
