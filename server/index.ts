import { buildApp } from './app.ts'
import { ensureAccounts } from './auth/accounts.ts'
import { startCapFeed } from './cap/feed.ts'
import { ConfigError, configFromEnv } from './config.ts'
import { createContext } from './context.ts'
import { StoreOpenError, StoreUnavailableError } from './db/errors.ts'
import { startDemo } from './demo/index.ts'
import { startEscalationClock } from './incident/clock.ts'
import { startInfoReportClock } from './inforeport/clock.ts'
import { startNotifyClock } from './notify/clock.ts'
import { startTestSmsc } from './notify/test-smsc.ts'
import { startLeadership } from './ops/leader.ts'
import { startSensorPoller } from './sensors/poller.ts'

async function main(): Promise<void> {
  const config = configFromEnv()
  // The demo with no SMS gateway: a loopback SMSC takes the ladder's SMS (docs/notify.md), so its SMS rung runs.
  const smsc = config.demo && !config.notify.sms ? await startTestSmsc() : null
  if (smsc)
    config.notify.sms = smsc.url
  const ctx = await createContext(config).catch((e: unknown) => exit(`OneScreen cannot start: ${describe(e)} (data directory: ${config.dataDir})`))
  // Started, but the store cannot commit (a read-only file, a full disk, a lock held elsewhere): the wall and
  // every read go on, each write is refused with 503, and /api/health/ready says so until it is fixed.
  const problem = await ctx.store.probe()
  if (problem)
    console.error(`OneScreen starts READ-ONLY: ${problem.message} (data directory: ${config.dataDir})`)
  await ensureAccounts(ctx).catch((e: unknown) => exit((e as Error).message))
  const { app } = await buildApp(ctx, { logger: { level: config.logLevel } })
  // The clocks, the webhooks' worker and the feeds' pollers run once per cluster: on the node that leads (one node
  // alone always does; with PostgreSQL another takes over within seconds when the leader dies).
  const leadership = startLeadership(ctx.store, () => {
    const stops = [
      startEscalationClock(ctx),
      startInfoReportClock(ctx),
      // The notification ladder's clock moves the wartime re-send and escalation too (it generalises the wartime clock).
      startNotifyClock(ctx),
      ctx.webhooks.start(),
      config.capFeedUrl ? startCapFeed(ctx, { url: config.capFeedUrl, everyMs: config.capFeedEveryMs }) : null,
      config.sensors.pollUrl ? startSensorPoller(ctx, { url: config.sensors.pollUrl, everyMs: config.sensors.pollEveryMs }) : null,
    ]
    return () => stops.forEach(stop => stop?.())
  }, { onChange: ctx.store.lockLeader ? leading => console.log(leading ? 'this node leads: the clocks run here' : 'this node no longer leads: its clocks stopped') : undefined })
  const demo = config.demo && config.simulate ? await startDemo(ctx) : null

  await app.listen({ port: config.port, host: config.host })
  const address = app.server.address()
  const port = typeof address === 'object' && address ? address.port : config.port
  if (!config.notify.publicUrl)
    ctx.notify.setPublicUrl(`http://localhost:${port}`)
  // Tests and scripts read this line to find the port.
  console.log(`OneScreen listening on http://localhost:${port} (data: ${config.dataDir}, demo: ${config.demo ? 'on' : 'off'})`)

  let closing = false
  async function shutdown(signal: string): Promise<void> {
    if (closing)
      return
    closing = true
    console.log(`${signal}: closing`)
    demo?.stop()
    await leadership.close()
    await ctx.notify.close()
    await smsc?.close()
    await ctx.presence.close()
    await app.close()
    await ctx.store.close()
    process.exit(0)
  }
  process.on('SIGINT', () => void shutdown('SIGINT'))
  process.on('SIGTERM', () => void shutdown('SIGTERM'))
}

/** A start-up problem the operator fixes (a setting, the store, the first admin): the message says what, no stack trace. */
function describe(e: unknown): string {
  if (e instanceof StoreOpenError || e instanceof StoreUnavailableError)
    return e.message
  if (e instanceof ConfigError)
    return `OneScreen cannot start: ${e.message}`
  return e instanceof Error ? e.stack ?? e.message : String(e)
}

function exit(message: string): never {
  console.error(message)
  process.exit(1)
}

main().catch((e: unknown) => exit(describe(e)))
