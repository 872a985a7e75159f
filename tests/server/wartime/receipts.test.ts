import type { CommitRequest, Store } from '../../../server/db/store.ts'
import type { Task } from '../../../shared/wartime/schema.ts'
import type { TestApp } from '../../helpers/app.ts'
import type { TestSocket } from '../../helpers/socket.ts'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createSqliteStore } from '../../../server/db/sqlite/store.ts'
import { reachedBy } from '../../../shared/notify/ladder.ts'
import { matchPlan } from '../../../shared/wartime/plans.ts'
import { buildTestApp } from '../../helpers/app.ts'
import { watcher } from '../../helpers/socket.ts'
import { until } from '../../helpers/until.ts'

// A phone that acknowledges at once sends its delivery receipt and its 收到 together: one durable commit records
// both, and the phone hears that its acknowledgement counted only once that commit is on disk.

const PLAN = 'rainstorm-red'
let clock = new Date('2026-07-15T12:00:00.000Z')
const MIN = 60_000

/** The real SQLite store, but a commit can be held back (a slow disk) and every task write is counted. */
function slowStore() {
  const real = createSqliteStore({ file: ':memory:' })
  let gate: Promise<void> | null = null
  let open = () => {}
  const taskWrites = new Map<string, string[]>()
  const durable = new Set<string>()
  const store = new Proxy(real, {
    get(target, key) {
      if (key === 'commit') {
        return async (req: CommitRequest) => {
          const tasks = req.mutations.flatMap(m => (m.kind === 'entity' && m.entityKind === 'task' ? [m] : []))
          for (const m of tasks) taskWrites.set(m.entity.id, [...(taskWrites.get(m.entity.id) ?? []), m.action])
          await gate
          const done = await target.commit(req)
          for (const m of tasks) durable.add(`${m.entity.id}@${(m.entity as Task).version}`)
          return done
        }
      }
      const v = Reflect.get(target, key) as unknown
      return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v
    },
  }) as Store
  return {
    store,
    taskWrites,
    durable,
    hold: () => (gate = new Promise(resolve => (open = resolve))),
    release: () => {
      gate = null
      open()
    },
  }
}

const slow = slowStore()
let t: TestApp
let url: string
let assignees: string[]

beforeAll(async () => {
  t = await buildTestApp({ store: slow.store, now: () => clock })
  url = await t.listen()
  await t.app.inject({ method: 'POST', url: '/api/wartime/declare', headers: await t.as('commander'), payload: { reason: '暴雨红色预警', planId: PLAN } })
  await t.app.inject({ method: 'POST', url: '/api/wartime/activate', headers: await t.as('operator'), payload: { planId: PLAN } })
  assignees = matchPlan((await t.ctx.wartime.plan(PLAN))!, t.ctx.reference).map(a => a.personId)
  slow.taskWrites.clear()
})
afterAll(() => t.close())

async function phone(personId: string) {
  const headers = await t.phoneOf(personId)
  const w = watcher(url, null, headers.cookie)
  const tasks: Task[] = []
  w.socket.on('task:changed', task => tasks.push(task))
  await w.ready
  return { w, socket: w.socket as TestSocket, tasks }
}

const taskOf = async (personId: string) => (await t.ctx.wartime.tasksOf(personId))[0]!

describe('a receipt and an acknowledgement sent together', () => {
  it('are one durable commit, and the phone is answered only after it is on disk', async () => {
    const p = await phone(assignees[0]!)
    const other = await phone(assignees[0]!)
    const task = await taskOf(assignees[0]!)
    slow.hold()
    let answer: { ok: boolean, data?: Task } | null = null
    let durableAtAnswer = false
    p.socket.emit('task:received', { id: task.id })
    p.socket.emit('task:status', { opId: 'ack-1', id: task.id, body: { state: 'acknowledged' } }, (r) => {
      durableAtAnswer = r.ok && slow.durable.has(`${task.id}@${r.data.version}`)
      answer = r
    })
    await until(() => slow.taskWrites.get(task.id)?.length === 1)
    // The disk holds the commit back well past the receipt window: the phone must not hear yet.
    await new Promise(r => setTimeout(r, 150))
    expect(answer).toBeNull()
    slow.release()
    await until(() => answer !== null)
    expect(durableAtAnswer).toBe(true)
    expect(answer).toMatchObject({ ok: true, data: { state: 'acknowledged', version: task.version + 1 } })
    await new Promise(r => setTimeout(r, 100))
    expect(slow.taskWrites.get(task.id)).toEqual(['acknowledged'])
    const stored = await t.ctx.store.getEntity('task', task.id)
    expect(stored).toMatchObject({ state: 'acknowledged', version: task.version + 1 })
    expect(stored!.deliveredAt).toBe(clock.toISOString())
    expect(stored!.ackAt).toBe(clock.toISOString())
    // The board counts it as reached by the app. The person's other device hears the change; the phone that
    // acknowledged has it in its answer and is not sent it again.
    expect(reachedBy(stored!, [])).toBe('app')
    await until(() => other.tasks.some(x => x.state === 'acknowledged'))
    expect(other.tasks.map(x => x.state)).toEqual(['acknowledged'])
    expect(p.tasks).toEqual([])
    p.w.close()
    other.w.close()
  })

  it('still records a receipt alone, after a short wait, and pushes it back as delivered', async () => {
    const p = await phone(assignees[1]!)
    const task = await taskOf(assignees[1]!)
    p.socket.emit('task:received', { id: task.id })
    await until(() => p.tasks.some(x => x.state === 'delivered'))
    expect(slow.taskWrites.get(task.id)).toEqual(['delivered'])
    expect(await t.ctx.store.getEntity('task', task.id)).toMatchObject({ state: 'delivered', deliveredAt: clock.toISOString(), ackAt: null })
    p.w.close()
  })

  it('writes receipts that arrive together in one group commit, and ignores one for someone else\'s task', async () => {
    const people = assignees.slice(2, 6)
    const tasks = await Promise.all(people.map(taskOf))
    const groups: number[] = []
    const off = t.ctx.store.onGroup!(g => groups.push(g.requests))
    const principal = (personId: string) => ({ kind: 'device' as const, id: `dev-${personId}`, personId, name: personId, roles: [], gridIds: [], communityId: null, sectorId: null })
    await Promise.all([
      ...tasks.map((x, i) => t.ctx.wartime.received(principal(people[i]!), x.id)),
      t.ctx.wartime.received(principal(people[0]!), tasks[1]!.id),
    ])
    off()
    expect(groups).toEqual([tasks.length])
    for (const x of tasks)
      expect(await t.ctx.store.getEntity('task', x.id)).toMatchObject({ state: 'delivered', version: x.version + 1 })
  })

  it('send a refused phone the change it was spared: another device of the same person acknowledged first', async () => {
    const a = await phone(assignees[6]!)
    const b = await phone(assignees[6]!)
    const task = await taskOf(assignees[6]!)
    slow.hold()
    const answers: { ok: boolean }[] = []
    a.socket.emit('task:status', { opId: 'a-1', id: task.id, body: { state: 'acknowledged' } }, r => answers.push(r))
    b.socket.emit('task:status', { opId: 'b-1', id: task.id, body: { state: 'acknowledged' } }, r => answers.push(r))
    await until(() => slow.taskWrites.get(task.id)?.length === 1)
    slow.release()
    await until(() => answers.length === 2)
    expect(answers.map(r => r.ok).sort()).toEqual([false, true])
    const refused = answers[0]!.ok ? b : a
    await until(() => refused.tasks.length > 0)
    expect(refused.tasks.map(x => x.state)).toEqual(['acknowledged'])
    expect((answers[0]!.ok ? a : b).tasks).toEqual([])
    a.w.close()
    b.w.close()
  })

  it('leave an acknowledged task alone when the clocks run: no re-send, no escalation, no ladder step', async () => {
    const acked = (await t.ctx.wartime.tasks()).filter(x => x.state === 'acknowledged').map(x => x.id)
    expect(acked).toHaveLength(2)
    clock = new Date(clock.getTime() + 60 * MIN)
    for (let i = 0; i < 3; i++) {
      await t.ctx.wartime.tick()
      await t.ctx.notify.tick()
    }
    for (const id of acked) {
      expect(slow.taskWrites.get(id)).toEqual(['acknowledged'])
      expect(await t.ctx.notify.list({ subjectId: id })).toEqual([])
    }
    const open = (await t.ctx.wartime.tasks()).filter(x => x.state === 'sent' || x.state === 'delivered')
    expect(open.every(x => x.resends === 1 || x.escalatedTo.length > 0)).toBe(true)
  })
})
