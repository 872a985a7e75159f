import type { IncidentActionOp, OutboxOp, ReportOp, Transport } from '../../../client/screens/field/outbox.ts'
import { describe, expect, it } from 'vitest'
import { drain, memoryStore, SendError } from '../../../client/screens/field/outbox.ts'

let clock = 0
function reportOp(over: Partial<ReportOp> = {}): ReportOp {
  clock += 1
  return {
    kind: 'report',
    opId: `op-${clock}`,
    personId: 'gw-1',
    createdAt: new Date(Date.UTC(2026, 10, 27, 8, 0, clock)).toISOString(),
    body: { category: 'garbage', description: `report ${clock}`, location: { lon: 106.6, lat: 29.6 } },
    photos: [],
    photoIds: [],
    state: 'pending',
    attempts: 0,
    error: null,
    ...over,
  }
}

/** A server that records what it was sent and answers from a script: 'ok', 'offline', or an HTTP status. */
function fakeServer(script: (path: string, n: number) => 'ok' | 'offline' | number = () => 'ok') {
  const posts: { path: string, body: unknown, opId: string }[] = []
  const uploads: Blob[] = []
  let n = 0
  const transport: Transport = {
    async upload(photo) {
      uploads.push(photo)
      if (script('/api/photos', n++) === 'offline')
        throw new SendError('Failed to fetch', true)
      return `${String(uploads.length).padStart(64, 'f')}`
    },
    async post(path, body, opId) {
      const answer = script(path, n++)
      posts.push({ path, body, opId })
      if (answer === 'offline')
        throw new SendError('Failed to fetch', true)
      if (typeof answer === 'number')
        throw new SendError(`HTTP ${answer}`, answer >= 500 || answer === 429 || answer === 401, answer)
      return { id: `inc-${posts.length}` }
    },
  }
  return { transport, posts, uploads }
}

async function seed(...ops: OutboxOp[]) {
  const store = memoryStore()
  for (const op of ops) await store.put(op)
  return store
}

describe('the outbox', () => {
  it('sends waiting operations oldest first, each with its own operation id, and empties', async () => {
    const a = reportOp()
    const b = reportOp()
    const store = await seed(b, a)
    const server = fakeServer()
    const res = await drain(store, server.transport, 'gw-1')
    expect(server.posts.map(p => p.opId)).toEqual([a.opId, b.opId])
    expect(res.sent).toHaveLength(2)
    expect(await store.list()).toEqual([])
  })

  it('keeps everything when offline and resends with the same operation id when back', async () => {
    const op = reportOp()
    const store = await seed(op, reportOp())
    let online = false
    const server = fakeServer(() => online ? 'ok' : 'offline')
    const first = await drain(store, server.transport, 'gw-1')
    expect(first).toMatchObject({ stopped: true, sent: [] })
    expect(await store.list()).toHaveLength(2)
    expect((await store.list())[0]).toMatchObject({ attempts: 1, error: 'Failed to fetch', state: 'pending' })
    online = true
    await drain(store, server.transport, 'gw-1')
    // The first try (lost) and the retry carry one key: the server answers the retry from its record.
    expect(server.posts.filter(p => p.opId === op.opId)).toHaveLength(2)
    expect(await store.list()).toEqual([])
  })

  it('stops at the first operation that must be retried, so later ones never overtake it', async () => {
    const ack = { ...reportOp(), kind: 'task-status', taskId: 't1', body: { state: 'acknowledged' } } as OutboxOp
    const arrive = { ...reportOp(), kind: 'task-status', taskId: 't1', body: { state: 'on_scene' } } as OutboxOp
    const store = await seed(ack, arrive)
    const server = fakeServer((_p, n) => n === 0 ? 503 : 'ok')
    await drain(store, server.transport, 'gw-1')
    expect(server.posts).toHaveLength(1)
    await drain(store, server.transport, 'gw-1')
    expect(server.posts.slice(1).map(p => (p.body as { state: string }).state)).toEqual(['acknowledged', 'on_scene'])
    expect(server.posts[1]!.path).toBe('/api/tasks/t1/status')
  })

  it('marks an operation the server refuses for good as failed, keeps it, and goes on', async () => {
    const bad = reportOp()
    const good = reportOp()
    const store = await seed(bad, good)
    const server = fakeServer((_p, n) => n === 0 ? 403 : 'ok')
    const res = await drain(store, server.transport, 'gw-1')
    expect(res.failed.map(o => o.opId)).toEqual([bad.opId])
    expect(res.sent.map(s => s.op.opId)).toEqual([good.opId])
    expect(await store.list()).toMatchObject([{ opId: bad.opId, state: 'failed', error: 'HTTP 403' }])
    // A failed operation is not retried on its own.
    await drain(store, server.transport, 'gw-1')
    expect(server.posts).toHaveLength(2)
  })

  it('uploads photos once, names them on the report, and does not upload them again on a retry', async () => {
    const op = reportOp({ photos: [new Blob(['a']), new Blob(['b'])], photoIds: [null, null] })
    const store = await seed(op)
    let reportTries = 0
    const server = fakeServer(path => path === '/api/incidents' && reportTries++ === 0 ? 'offline' : 'ok')
    await drain(store, server.transport, 'gw-1')
    expect(server.uploads).toHaveLength(2)
    expect((await store.list())[0]!.photoIds.every(Boolean)).toBe(true)
    await drain(store, server.transport, 'gw-1')
    expect(server.uploads).toHaveLength(2)
    expect(server.posts.at(-1)!.body).toMatchObject({ photos: [expect.stringMatching(/^f+1$/), expect.stringMatching(/^f+2$/)] })
  })

  it('sends only the operations of the worker signed in now', async () => {
    const mine = reportOp()
    const theirs = reportOp({ personId: 'gw-2' })
    const store = await seed(mine, theirs)
    const server = fakeServer()
    await drain(store, server.transport, 'gw-1')
    expect(server.posts.map(p => p.opId)).toEqual([mine.opId])
    expect((await store.list()).map(o => o.opId)).toEqual([theirs.opId])
  })

  it('sends patrol check-ins to the patrol API', async () => {
    const store = await seed({ ...reportOp(), kind: 'patrol', body: { location: { lon: 106.6, lat: 29.6 }, at: '2026-11-27T08:00:00.000Z' } } as OutboxOp)
    const server = fakeServer()
    await drain(store, server.transport, 'gw-1')
    expect(server.posts[0]!.path).toBe('/api/patrols')
  })
})

describe('incident actions in the outbox', () => {
  function actionOp(over: Partial<IncidentActionOp> = {}): IncidentActionOp {
    clock += 1
    return {
      kind: 'incident-action',
      opId: `op-${clock}`,
      personId: 'gw-1',
      createdAt: new Date(Date.UTC(2026, 10, 27, 8, 0, clock)).toISOString(),
      incidentId: 'inc-7',
      body: { action: 'resolve', note: '已清理', expectedVersion: 4 },
      photos: [],
      photoIds: [],
      state: 'pending',
      attempts: 0,
      error: null,
      ...over,
    }
  }

  it('posts to the incident\'s actions with the result photos uploaded first and named', async () => {
    const op = actionOp({ photos: [new Blob(['after'])], photoIds: [null] })
    const store = await seed(op)
    const server = fakeServer()
    const res = await drain(store, server.transport, 'gw-1')
    expect(server.uploads).toHaveLength(1)
    expect(server.posts).toEqual([{ path: '/api/incidents/inc-7/actions', opId: op.opId, body: { action: 'resolve', note: '已清理', expectedVersion: 4, photos: [`${'f'.repeat(63)}1`] } }])
    expect(res.sent).toHaveLength(1)
    expect(await store.list()).toEqual([])
  })

  it('drops an action the server refuses with 409 and reports it once, then sends what follows', async () => {
    const stale = actionOp()
    const next = reportOp()
    const store = await seed(stale, next)
    const server = fakeServer(path => path.includes('/actions') ? 409 : 'ok')
    const res = await drain(store, server.transport, 'gw-1')
    expect(res.refused.map(r => [r.op.opId, r.status])).toEqual([[stale.opId, 409]])
    expect(res.failed).toEqual([])
    expect(res.sent.map(s => s.op.opId)).toEqual([next.opId])
    expect(await store.list()).toEqual([])
    // Nothing left to retry: a second run sends nothing.
    await drain(store, server.transport, 'gw-1')
    expect(server.posts).toHaveLength(2)
  })

  it('drops a forbidden action too, but keeps one that met a busy server (429) for later', async () => {
    const forbidden = actionOp()
    const busy = actionOp({ incidentId: 'inc-8' })
    const store = await seed(forbidden, busy)
    const server = fakeServer(path => path.includes('inc-7') ? 403 : 429)
    const res = await drain(store, server.transport, 'gw-1')
    expect(res.refused.map(r => r.status)).toEqual([403])
    expect(res.stopped).toBe(true)
    expect((await store.list()).map(o => [o.opId, o.state, o.attempts])).toEqual([[busy.opId, 'pending', 1]])
  })
})
