import type { RunningServer } from '../../helpers/server.ts'
import { afterAll, describe, expect, it } from 'vitest'
import { authed, signIn } from '../../helpers/auth.ts'
import { startServer } from '../../helpers/server.ts'
import { watcher } from '../../helpers/socket.ts'

let server: RunningServer | null = null
afterAll(() => server?.stop())

async function json<T>(res: Response): Promise<T> {
  return (await res.json()) as T
}

describe('durability across a crash', () => {
  it('keeps every acknowledged report through SIGKILL and lets a client resume without a gap', async () => {
    server = await startServer()
    const { url, dataDir } = server
    const op = await signIn(url, 'operator')
    const fetch = (u: string) => authed(u, op)
    const territory = await json<{ grids: { features: { properties: { id: string } }[] } }>(await fetch(`${url}/api/territory`))
    const catalog = await json<{ categories: { code: string }[] }>(await fetch(`${url}/api/catalog`))
    const ref = await json<{ org: unknown }>(await fetch(`${url}/api/reference`))
    expect(territory.grids.features).toHaveLength(127)
    expect(ref.org).toBeTruthy()
    const snap0 = await json<{ seq: number }>(await fetch(`${url}/api/snapshot`))

    // A screen connected before the crash, holding seq `held`.
    const screen = watcher(url, snap0.seq, op.cookie)
    await screen.ready
    const held = screen.seq
    screen.close()

    // M reports acknowledged with 201, fired concurrently so several share one group commit.
    const M = 25
    const center = await json<{ subdistrict: { center: { lon: number, lat: number } } }>(await fetch(`${url}/api/territory`))
    const acked = await Promise.all(Array.from({ length: M }, async (_, i) => {
      const res = await authed(`${url}/api/incidents`, op, {
        headers: { 'idempotency-key': `crash-${i}` },
        body: { category: catalog.categories[0]!.code, description: `崩溃前第${i}件`, location: center.subdistrict.center },
      })
      expect(res.status).toBe(201)
      return (await json<{ id: string }>(res)).id
    }))
    await server.kill()

    server = await startServer({ dataDir })
    const after = await json<{ seq: number, incidents: { id: string }[] }>(await fetch(`${server.url}/api/snapshot`))
    const ids = new Set(after.incidents.map(i => i.id))
    expect(acked.filter(id => !ids.has(id))).toEqual([])
    expect(after.seq).toBe(held + M)

    // The screen reconnects to the restarted server (its session survived too) and gets exactly what it missed.
    const resumed = watcher(server.url, held, op.cookie)
    await resumed.ready
    expect(resumed.sync?.kind).toBe('changes')
    expect(resumed.received.map(c => c.seq)).toEqual(Array.from({ length: M }, (_, i) => held + 1 + i))
    expect(new Set(resumed.received.map(c => c.id))).toEqual(new Set(acked))
    resumed.close()

    // A retry of an acknowledged request after the crash still returns the first result.
    const retry = await authed(`${server.url}/api/incidents`, op, {
      headers: { 'idempotency-key': 'crash-0' },
      body: { category: catalog.categories[0]!.code, description: '崩溃前第0件', location: center.subdistrict.center },
    })
    expect((await json<{ id: string }>(retry)).id).toBe(acked[0])
  }, 120_000)
})
