import type { TestApp } from '../../helpers/app.ts'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startCapFeed } from '../../../server/cap/feed.ts'
import { julyRainstormCap } from '../../../shared/cap/samples.ts'
import { buildTestApp } from '../../helpers/app.ts'

let t: TestApp
beforeAll(async () => {
  t = await buildTestApp()
})
afterAll(() => t.close())

async function until(check: () => Promise<boolean>) {
  for (let i = 0; i < 200 && !(await check()); i++)
    await new Promise(r => setTimeout(r, 10))
}

describe('cAP feed poll', () => {
  it('takes the alerts an Atom feed links to, once, through the same intake as POST /api/cap', async () => {
    const alert = julyRainstormCap(new Date())
    const requested: string[] = []
    const fake = (async (url: string | URL) => {
      requested.push(String(url))
      const body = String(url).endsWith('/feed.xml')
        ? '<feed xmlns="http://www.w3.org/2005/Atom"><entry><link href="alerts/1.xml"/></entry></feed>'
        : alert
      return new Response(body, { status: 200 })
    }) as typeof fetch
    const stop = startCapFeed(t.ctx, { url: 'http://feed.invalid/feed.xml', everyMs: 20, fetch: fake })
    await until(async () => (await t.ctx.warnings.list()).length > 0 && requested.filter(u => u.endsWith('/feed.xml')).length >= 3)
    stop()
    const warnings = await t.ctx.warnings.list()
    expect(warnings).toHaveLength(1)
    expect(warnings[0]).toMatchObject({ colour: 'red', hazard: 'rainstorm' })
    expect(requested.filter(u => u === 'http://feed.invalid/alerts/1.xml')).toHaveLength(1)
  })
})
