import type { Plugin, ViteDevServer } from 'vite'
import type { TestApp } from '../helpers/app.ts'
import { resolve } from 'node:path'
import { createServer } from 'vite'
import { startDemo } from '../../server/demo/index.ts'
import { monthStart } from '../../shared/kernel/time.ts'
import { buildTestApp } from '../helpers/app.ts'

const root = new URL('../..', import.meta.url).pathname
const MIN = 60_000

/**
 * The real app (buildApp, the demo's 13 months of back-filled history, the built client) on a clock the test
 * moves: it starts five minutes before a month ends, so the test can end the month and freeze it. The clock runs
 * ahead of the browser's, never behind it, so session cookies stay valid.
 */
export async function scoringServer(opts: { origins?: string[] } = {}) {
  let offset = 0
  const real = Date.now()
  let end = monthStart(real, 1)
  if (end - real < 10 * MIN)
    end = monthStart(real, 2)
  const start = end - 5 * MIN
  const base = start - real
  const t: TestApp = await buildTestApp({ now: () => new Date(Date.now() + base + offset), file: ':memory:', config: { staticDir: resolve(root, 'dist'), allowedOrigins: opts.origins ?? [] } })
  ;(await startDemo(t.ctx)).stop()
  // Ended months are frozen before anyone watches: the freeze the test makes is the only one the wall hears.
  await t.ctx.scoring.freezeEnded()
  const url = await t.listen()
  return {
    t,
    url,
    /** The server's month end: move the clock past it. */
    endMonth: () => {
      offset = end + MIN - (Date.now() + base)
    },
    close: () => t.close(),
  }
}

/** Vite serving /harness.html: the scoring components mounted alone, the API proxied to `api`. */
export async function harnessServer(port: number, api: string): Promise<ViteDevServer> {
  const harness: Plugin = {
    name: 'scoring-harness',
    configureServer(server) {
      server.middlewares.use(async (req, res, next) => {
        if (!req.url?.startsWith('/harness.html'))
          return next()
        const html = `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"></head><body><div id="app"></div><script type="module" src="/@fs${root}tests/client/scoring/harness.ts"></script></body></html>`
        res.setHeader('content-type', 'text/html')
        res.end(await server.transformIndexHtml(req.url, html))
      })
    },
  }
  const vite = await createServer({
    configFile: resolve(root, 'vite.config.ts'),
    root: resolve(root, 'client'),
    logLevel: 'warn',
    plugins: [harness],
    server: { port, strictPort: true, host: '127.0.0.1', hmr: false, fs: { strict: false }, proxy: { '/api': { target: api, changeOrigin: true } } },
  })
  await vite.listen()
  return vite
}
