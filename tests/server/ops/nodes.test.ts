import { io } from 'socket.io-client'
import { describe, expect, it } from 'vitest'
import { sessionTag } from '../../../server/auth/revocations.ts'
import { sha256 } from '../../../server/auth/tokens.ts'
import { fixtures, twoNodesOnOneTenant } from '../../helpers/app.ts'
import { signIn } from '../../helpers/auth.ts'
import { watcher } from '../../helpers/socket.ts'

// Two nodes (two whole apps) on one tenant's PostgreSQL schema: what one node does, the other's screens and services
// follow — the live stream, wartime, revocations.

describe('two nodes on one PostgreSQL tenant', () => {
  const nodes = twoNodesOnOneTenant()

  it('streams a report made through one node to a screen on the other, in order', async () => {
    const op = await signIn(nodes.urlB, 'operator')
    const screen = watcher(nodes.urlB, null, op.cookie)
    await screen.ready
    const from = screen.seq
    const headers = await nodes.a.as('operator')
    const ids: string[] = []
    for (let i = 0; i < 5; i++) {
      const res = await nodes.a.app.inject({ method: 'POST', url: '/api/incidents', headers, payload: fixtures(nodes.a.ctx).report({ description: `节点A第${i}件` }) })
      expect(res.statusCode).toBe(201)
      ids.push(res.json().id)
    }
    await screen.until(from + 5)
    expect(screen.received.map(c => c.seq)).toEqual([from + 1, from + 2, from + 3, from + 4, from + 5])
    expect(screen.received.map(c => c.id)).toEqual(ids)
    screen.close()
  })

  it('changes routing on the other node when wartime is declared through one', async () => {
    expect(await nodes.b.ctx.wartime.active()).toBeNull()
    const declared = await nodes.a.app.inject({ method: 'POST', url: '/api/wartime/declare', headers: await nodes.a.as('commander'), payload: { reason: '暴雨红色预警' } })
    expect(declared.statusCode, declared.body).toBe(201)
    await expect.poll(async () => (await nodes.b.ctx.wartime.active())?.id, { timeout: 3000, interval: 50 }).toBe(declared.json().id)
    // A report through node B now goes where wartime sends it, as through node A.
    const viaB = await nodes.b.app.inject({ method: 'POST', url: '/api/incidents', headers: await nodes.b.as('operator'), payload: fixtures(nodes.b.ctx).report({ description: '战时上报' }) })
    const viaA = await nodes.a.app.inject({ method: 'POST', url: '/api/incidents', headers: await nodes.a.as('operator'), payload: fixtures(nodes.a.ctx).report({ description: '战时上报' }) })
    expect(viaB.json().owner.loop).toBe(viaA.json().owner.loop)
    const ended = await nodes.b.app.inject({ method: 'POST', url: '/api/wartime/end', headers: await nodes.b.as('commander'), payload: { reason: '解除' } })
    expect(ended.statusCode, ended.body).toBeLessThan(300)
    await expect.poll(async () => nodes.a.ctx.wartime.active(), { timeout: 3000, interval: 50 }).toBeNull()
  })

  it('drops a session\'s socket on the other node within 2 s when it is revoked through one', async () => {
    const session = await signIn(nodes.urlA, 'leader')
    const s = io(nodes.urlB, { auth: { since: null }, transports: ['websocket'], reconnection: false, forceNew: true, extraHeaders: { cookie: session.cookie } })
    await new Promise<void>((resolve, reject) => {
      s.on('connect', resolve)
      s.on('connect_error', reject)
    })
    const gone = new Promise<string>(resolve => s.on('disconnect', () => resolve('dropped')))
    const head = await nodes.b.ctx.store.head()
    const out = await fetch(`${nodes.urlA}/api/auth/logout`, { method: 'POST', headers: session })
    expect(out.status).toBe(204)
    // The bound: revoked through A, the socket on B is gone within 2 s.
    expect(await Promise.race([gone, new Promise<string>(resolve => setTimeout(resolve, 2000, 'still connected after 2 s'))])).toBe('dropped')
    s.close()
    // It travelled through the log, naming the session by its tag: never by the hash the sessions table keys it by.
    const idHash = sha256(session.cookie.slice('os_sid='.length))
    const logged = (await nodes.b.ctx.store.changesSince(head, 100)).filter(c => c.kind === 'revocation')
    expect(logged.map(c => c.kind === 'revocation' && c.data.sessions)).toEqual([[sessionTag(idHash)]])
    expect(JSON.stringify(logged)).not.toContain(idHash)
  })
})
