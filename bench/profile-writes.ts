// Profiling driver for the durable-writes path (not part of `npm run bench`): runs the same workload as
// bench/durable-writes.ts against the real service and store, and prints rate and CPU per action.
//   node --import tsx bench/profile-writes.ts [--seconds=5] [--concurrency=128]
//   node --import tsx --cpu-prof --cpu-prof-dir=/tmp/prof bench/profile-writes.ts
import { join } from 'node:path'
import { groupCommit } from './durable-writes.ts'
import { benchContext, benchDir, ms } from './lib/common.ts'

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

main().catch((e: unknown) => {
  console.error(e)
  process.exit(1)
})
