import type { AuthHeaders, TestApp } from '../../helpers/app.ts'
import { io } from 'socket.io-client'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildTestApp, fixtures } from '../../helpers/app.ts'
import { authed, signIn } from '../../helpers/auth.ts'
import { watcher as watch } from '../../helpers/socket.ts'

let t: TestApp
let url: string
let fx: ReturnType<typeof fixtures>
let op: AuthHeaders

beforeAll(async () => {
  t = await buildTestApp()
  url = await t.listen()
  fx = fixtures(t.ctx)
  op = await signIn(url, 'operator')
})

/** A screen signed in as the duty operator. */
const watcher = (since: number | null = null) => watch(url, since, op.cookie)
afterAll(() => t.close())

async function postReport(n: number): Promise<string[]> {
  const ids: string[] = []
  for (let i = 0; i < n; i++) {
    const res = await authed(`${url}/api/incidents`, op, { body: fx.report({ description: `第${i}件` }) })
    expect(res.status).toBe(201)
    ids.push(((await res.json()) as { id: string }).id)
  }
  return ids
}

describe('live stream', () => {
  it('shows one client\'s report to another client', async () => {
    const actor = watcher()
    const observer = watcher()
    await Promise.all([actor.ready, observer.ready])
    // Read before the report: the change may reach the observer before the ack reaches the actor.
    const held = observer.seq
    const ack = await actor.socket.emitWithAck('incident:report', { opId: 'op-live-1', body: fx.report({ description: '井盖缺失' }) })
    expect(ack.ok).toBe(true)
    const id = ack.ok ? ack.data.id : ''
    await observer.until(held + 1)
    expect(observer.received.at(-1)).toMatchObject({ kind: 'incident', action: 'report', id })
    actor.close()
    observer.close()
  })

  it('returns the first result when a socket op is retried', async () => {
    const client = watcher()
    await client.ready
    const body = fx.report({ description: '重试' })
    const a = await client.socket.emitWithAck('incident:report', { opId: 'op-retry', body })
    const b = await client.socket.emitWithAck('incident:report', { opId: 'op-retry', body })
    expect(a).toMatchObject({ ok: true })
    expect(b).toEqual(a)
    client.close()
  })

  it('refuses a bad socket payload with a 400 naming the field', async () => {
    const client = watcher()
    await client.ready
    const ack = await client.socket.emitWithAck('incident:report', { opId: 'op-bad', body: { ...fx.report(), location: { lon: 'x', lat: 1 } } } as never)
    expect(ack).toMatchObject({ ok: false, status: 400, field: 'body.location.lon' })
    client.close()
  })

  it('resumes after a disconnect with exactly the changes it missed, in order', async () => {
    const first = watcher()
    await first.ready
    const held = first.seq
    first.close()
    const N = 7
    await postReport(N)
    const resumed = watcher(held)
    await resumed.ready
    expect(resumed.sync?.kind).toBe('changes')
    expect(resumed.received.map(c => c.seq)).toEqual(Array.from({ length: N }, (_, i) => held + 1 + i))
    resumed.close()
  })

  it('sends a snapshot to a client that holds nothing or is ahead of the log', async () => {
    const fresh = watcher(null)
    await fresh.ready
    expect(fresh.sync).toMatchObject({ kind: 'snapshot', seq: await t.ctx.store.head() })
    const ahead = watcher(1_000_000)
    await ahead.ready
    expect(ahead.sync?.kind).toBe('snapshot')
    fresh.close()
    ahead.close()
  })

  it('fetches a missing range on request', async () => {
    const client = watcher()
    await client.ready
    const head = client.seq
    const ack = await client.socket.emitWithAck('changes:fetch', { since: head - 3, limit: 2 })
    expect(ack).toMatchObject({ ok: true, data: { changes: [{ seq: head - 2 }, { seq: head - 1 }] } })
    client.close()
  })

  it('resumes a screen of the same log epoch, and sends one holding another epoch\'s seq a snapshot', async () => {
    await postReport(2)
    const head = await t.ctx.store.head()
    const epoch = await t.ctx.store.epoch()
    expect(epoch).toMatch(/^[0-9a-f]{16}/)
    const first = watcher()
    await first.ready
    expect(first.sync).toMatchObject({ kind: 'snapshot', seq: head })
    first.close()

    const connect = (auth: { since: number, epoch: string }) => {
      const s = io(url, { auth, transports: ['websocket'], reconnection: false, forceNew: true, extraHeaders: { cookie: op.cookie } })
      const sync = new Promise<{ kind: string, seq: number, epoch?: string }>((resolve) => {
        s.on('sync:snapshot', snap => resolve({ kind: 'snapshot', seq: snap.seq, epoch: snap.epoch }))
        s.on('sync:changes', page => resolve({ kind: 'changes', seq: page.head }))
      })
      return { s, sync }
    }
    const same = connect({ since: head - 2, epoch })
    expect(await same.sync).toEqual({ kind: 'changes', seq: head })
    // A restored database numbers its log again: seq `head - 2` of another epoch is not this log's.
    const other = connect({ since: head - 2, epoch: 'an-older-history' })
    expect(await other.sync).toEqual({ kind: 'snapshot', seq: head, epoch })
    same.s.close()
    other.s.close()
  })

  it('keeps a phone that asks for no stream off the change stream', async () => {
    const phone = io(url, { auth: { since: null, stream: false }, transports: ['websocket'], reconnection: false, forceNew: true, extraHeaders: { cookie: op.cookie } })
    const got: string[] = []
    phone.onAny(event => got.push(event))
    const synced = new Promise<{ changes: unknown[], head: number }>(resolve => phone.on('sync:changes', resolve))
    const first = await synced
    expect(first.changes).toEqual([])
    expect(first.head).toBe(await t.ctx.store.head())
    const screen = watcher()
    await screen.ready
    await postReport(1)
    await screen.until(first.head + 1)
    await new Promise(r => setTimeout(r, 100))
    expect(got).toEqual(['sync:changes'])
    phone.close()
    screen.close()
  })

  it('delivers every change of a burst to every watcher with no gap or repeat', async () => {
    const watchers = Array.from({ length: 5 }, () => watcher())
    await Promise.all(watchers.map(w => w.ready))
    const start = watchers[0]!.seq
    await Promise.all(Array.from({ length: 40 }, (_, i) => authed(`${url}/api/incidents`, op, { body: fx.report({ description: `并发${i}` }) })))
    await Promise.all(watchers.map(w => w.until(start + 40)))
    for (const w of watchers)
      expect(w.received.map(c => c.seq)).toEqual(Array.from({ length: 40 }, (_, i) => start + 1 + i))
    watchers.forEach(w => w.close())
  })

  it('brings many screens back at once, each with exactly the changes it missed', async () => {
    const probe = watcher()
    await probe.ready
    const older = probe.seq
    probe.close()
    await postReport(3)
    const newer = older + 3
    await postReport(4)
    const range = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => from + 1 + i)
    const back = [...Array.from({ length: 8 }, () => watcher(older)), ...Array.from({ length: 8 }, () => watcher(newer))]
    const fresh = Array.from({ length: 3 }, () => watcher(null))
    await Promise.all([...back, ...fresh].map(w => w.ready))
    back.forEach((w, i) => expect(w.received.map(c => c.seq)).toEqual(range(i < 8 ? older : newer, newer + 4)))
    for (const w of fresh)
      expect(w.sync).toMatchObject({ kind: 'snapshot', seq: newer + 4 })
    // A page read at one head is not served at the next.
    await postReport(1)
    const later = watcher(older)
    await later.ready
    expect(later.received.map(c => c.seq)).toEqual(range(older, newer + 5))
    ;[...back, ...fresh, later].forEach(w => w.close())
  })

  it('streams the reporter\'s phone to the desk and not to the wall', async () => {
    const wall = await signIn(url, 'wall')
    const desk = watcher()
    const screen = watch(url, null, wall.cookie)
    await Promise.all([desk.ready, screen.ready])
    const head = desk.seq
    const res = await authed(`${url}/api/incidents`, op, { body: fx.report({ description: '隐私', reporterName: '王大妈', reporterPhone: '13800138000' }) })
    expect(res.status).toBe(201)
    await Promise.all([desk.until(head + 1), screen.until(head + 1)])
    expect(desk.received.at(-1)).toMatchObject({ kind: 'incident', data: { reporterPhone: '13800138000', reporterName: '王大妈' } })
    const shown = screen.received.at(-1)!
    expect(shown).toMatchObject({ kind: 'incident', data: { description: '隐私' } })
    expect(JSON.stringify(shown)).not.toContain('13800138000')
    desk.close()
    screen.close()
  })
})
