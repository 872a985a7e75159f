import type { AppContext } from '../context.ts'
import { SYSTEM_PRINCIPAL } from '../../shared/auth/authz.ts'
import { INTERNAL } from '../audit/service.ts'
import { startTicker } from '../kernel/ticker.ts'

/**
 * Optional CAP feed poll (off by default: command halls sit on closed networks). Each poll fetches one URL that
 * answers a CAP 1.2 alert, or an Atom/RSS feed whose entries link to alerts; each alert goes through the same
 * intake as `POST /api/cap`, so repeats are duplicates and Update/Cancel are honoured.
 */
export function startCapFeed(ctx: AppContext, opts: { url: string, everyMs: number, fetch?: typeof fetch }): () => void {
  const get = opts.fetch ?? fetch
  const seen = new Set<string>()

  async function poll(): Promise<void> {
    const res = await get(opts.url, { signal: AbortSignal.timeout(15_000) })
    if (!res.ok)
      throw new Error(`CAP feed ${opts.url}: HTTP ${res.status}`)
    const body = await res.text()
    const links = /<(?:feed|rss)[\s>]/.test(body)
      ? [...body.matchAll(/<link[^>]*href="([^"]+)"|<link>([^<]+)<\/link>/g)].map(m => new URL(m[1] ?? m[2]!, opts.url).href)
      : null
    if (!links) {
      await ctx.warnings.ingest({ principal: SYSTEM_PRINCIPAL, origin: INTERNAL }, body)
      return
    }
    for (const link of links.filter(l => !seen.has(l)).slice(0, 50)) {
      const alert = await get(link, { signal: AbortSignal.timeout(15_000) })
      if (alert.ok)
        await ctx.warnings.ingest({ principal: SYSTEM_PRINCIPAL, origin: INTERNAL }, await alert.text())
      seen.add(link)
    }
  }

  // The outcome of each poll is a metric (onescreen_cap_feed_up); the ticker still logs the failure.
  const polled = () => poll().then(() => ctx.metrics.capPolled(true, ctx.now()), (e: unknown) => {
    ctx.metrics.capPolled(false, ctx.now())
    throw e
  })
  return startTicker('CAP feed', opts.everyMs, polled, { immediate: true })
}
