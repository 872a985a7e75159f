import { buildApp } from './app.ts'
import { ensureAccounts } from './auth/accounts.ts'
import { startCapFeed } from './cap/feed.ts'
import { configFromEnv } from './config.ts'
import { createContext } from './context.ts'
import { startDemo } from './demo/index.ts'
import { startEscalationClock } from './incident/clock.ts'
import { startWartimeClock } from './wartime/clock.ts'

async function main(): Promise<void> {
  const config = configFromEnv()
  const ctx = await createContext(config)
  try {
    await ensureAccounts(ctx)
  }
  catch (e) {
    console.error((e as Error).message)
    process.exit(1)
  }
  const { app } = await buildApp(ctx, { logger: process.env.ONESCREEN_LOG === '1' })
  const stopClock = startEscalationClock(ctx)
  const stopWartimeClock = startWartimeClock(ctx)
  const stopFeed = config.capFeedUrl ? startCapFeed(ctx, { url: config.capFeedUrl, everyMs: config.capFeedEveryMs }) : null
  const demo = config.demo && config.simulate ? await startDemo(ctx) : null

  await app.listen({ port: config.port, host: config.host })
  const address = app.server.address()
  const port = typeof address === 'object' && address ? address.port : config.port
  // Tests and scripts read this line to find the port.
  console.log(`OneScreen listening on http://localhost:${port} (data: ${config.dataDir}, demo: ${config.demo ? 'on' : 'off'})`)

  let closing = false
  async function shutdown(signal: string): Promise<void> {
    if (closing)
      return
    closing = true
    console.log(`${signal}: closing`)
    demo?.stop()
    stopClock()
    stopWartimeClock()
    stopFeed?.()
    ctx.presence.close()
    await app.close()
    await ctx.store.close()
    process.exit(0)
  }
  process.on('SIGINT', () => void shutdown('SIGINT'))
  process.on('SIGTERM', () => void shutdown('SIGTERM'))
}

main().catch((e) => {
  console.error(e)
  process.exit(1)
})
