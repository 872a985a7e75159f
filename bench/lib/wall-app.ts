// The app in the bench's own process, serving the built client from dist/: demo accounts on (a wall signs
// itself in), simulator off, so every change the wall sees is one the bench made through the service layer.
import type { AppContext } from '../../server/context.ts'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { buildApp } from '../../server/app.ts'
import { ensureAccounts } from '../../server/auth/accounts.ts'
import { configFromEnv } from '../../server/config.ts'
import { createContext } from '../../server/context.ts'
import { ensureClientBuilt } from '../../tests/e2e/client-build.ts'
import { benchDir } from './common.ts'

export const root = new URL('../..', import.meta.url).pathname

export interface WallApp {
  ctx: AppContext
  /** The wall's page, with a trailing slash. */
  url: string
  close: () => Promise<void>
}

export async function startWallApp(tag: string): Promise<WallApp> {
  if (!existsSync(join(root, 'dist/index.html')))
    console.log('  building the client (npx vite build)…')
  await ensureClientBuilt()
  const { dir, cleanup } = benchDir(tag)
  const config = configFromEnv({
    ONESCREEN_DATA_DIR: dir,
    ONESCREEN_DEMO: '1',
    ONESCREEN_SIMULATE: '0',
    ONESCREEN_STATIC_DIR: join(root, 'dist'),
    HOST: '127.0.0.1',
    PORT: '0',
    ONESCREEN_ESCALATE_MS: '3600000',
    ONESCREEN_REPORTS_PER_MIN: '100000000',
  })
  const ctx = await createContext(config)
  await ensureAccounts(ctx)
  const { app } = await buildApp(ctx, { logger: false })
  await app.listen({ port: 0, host: '127.0.0.1' })
  const addr = app.server.address()
  return {
    ctx,
    url: `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}/`,
    async close() {
      ctx.presence.close()
      await app.close()
      await ctx.store.close()
      cleanup()
    },
  }
}
