import type { Change } from '../../../shared/sync/schema.ts'
import type { Operation, Task } from '../../../shared/wartime/schema.ts'
import { createPinia, setActivePinia } from 'pinia'
import { beforeEach, describe, expect, it } from 'vitest'
import { checklist, elapsed, tally, timeline, unreachable } from '../../../client/wartime/logic.ts'
import { responderStatus, riskCoverage } from '../../../client/wartime/map-features.ts'
import { useWartimeStore } from '../../../client/wartime/store.ts'
import { JULY_RAINSTORM_PLAN } from '../../../shared/wartime/default-plans.ts'

const T0 = Date.parse('2026-07-15T12:00:00.000Z')
const iso = (ms: number) => new Date(T0 + ms).toISOString()

function task(over: Partial<Task> = {}): Task {
  return {
    id: 't1',
    version: 1,
    operationId: 'op-1',
    planId: 'rainstorm-red',
    templateId: 'patrol',
    assigneeId: 'p1',
    assigneeName: '张三',
    gridId: 'g1',
    riskPointId: null,
    title: '巡查',
    instructions: '',
    state: 'sent',
    sentAt: iso(0),
    deliveredAt: null,
    ackAt: null,
    onSceneAt: null,
    doneAt: null,
    ackDeadline: iso(5 * 60_000),
    arriveDeadline: iso(20 * 60_000),
    resends: 0,
    escalatedTo: [],
    note: null,
    updatedAt: iso(0),
    ...over,
  }
}

function operation(over: Partial<Operation> = {}): Operation {
  return {
    id: 'op-1',
    version: 1,
    active: true,
    reason: '暴雨',
    declaredAt: iso(0),
    declaredBy: 'cmd-01',
    warningId: null,
    planId: 'rainstorm-red',
    activatedAt: iso(1000),
    endedAt: null,
    endedBy: null,
    taskCount: 0,
    timeline: [{ at: iso(0), kind: 'declare', text: '宣布', by: 'cmd-01' }],
    updatedAt: iso(0),
    ...over,
  }
}

let seq = 0
const change = <K extends 'task' | 'operation'>(kind: K, data: K extends 'task' ? Task : Operation) => ({ seq: ++seq, at: data.updatedAt, kind, action: 'x', id: data.id, data }) as Change

describe('the acknowledgement board', () => {
  it('counts acknowledged, on scene, done, re-sent, escalated and late, leaving cancelled tasks out', () => {
    const tasks = [
      task({ id: 'a', state: 'acknowledged' }),
      task({ id: 'b', state: 'on_scene' }),
      task({ id: 'c', state: 'done' }),
      task({ id: 'd', resends: 1, escalatedTo: ['i1'] }),
      task({ id: 'e', state: 'delivered' }),
      task({ id: 'f', state: 'cancelled' }),
    ]
    expect(tally(tasks, T0 + 6 * 60_000)).toEqual({ total: 5, acknowledged: 3, onScene: 2, done: 1, resent: 1, escalated: 1, late: 2 })
    expect(tally(tasks, T0).late).toBe(0)
  })

  it('lists each plan template with its acknowledged and total tasks', () => {
    const rows = checklist(JULY_RAINSTORM_PLAN, [task({ id: 'a', state: 'acknowledged' }), task({ id: 'b' }), task({ id: 'c', templateId: 'drainage', state: 'on_scene' })])
    expect(rows.find(r => r.id === 'patrol')).toMatchObject({ acknowledged: 1, total: 2, onScene: 0 })
    expect(rows.find(r => r.id === 'drainage')).toMatchObject({ acknowledged: 1, total: 1, onScene: 1 })
    expect(rows).toHaveLength(JULY_RAINSTORM_PLAN.templates.length)
  })

  it('names each responder with an open task and no connected device once, finished ones not at all', () => {
    const tasks = [task({ id: 'a', assigneeId: 'p1' }), task({ id: 'b', assigneeId: 'p1' }), task({ id: 'c', assigneeId: 'p2' }), task({ id: 'd', assigneeId: 'p3', state: 'done' })]
    expect(unreachable(tasks, new Set()).map(t => t.assigneeId)).toEqual(['p1', 'p2'])
    expect(unreachable(tasks, new Set(['p1'])).map(t => t.assigneeId)).toEqual(['p2'])
  })
})

describe('the operation clock and timeline', () => {
  it('derives the clock from the declaration time, past 24 hours too', () => {
    expect(elapsed(iso(0), T0 + 3_723_000)).toBe('01:02:03')
    expect(elapsed(iso(0), T0 + 26 * 3600_000)).toBe('26:00:00')
    expect(elapsed(iso(5000), T0)).toBe('00:00:00')
  })

  it('merges escalations into the operation events, newest first and bounded', () => {
    const events = Array.from({ length: 10 }, (_, i) => ({ at: iso(i * 1000), kind: 'note', text: `e${i}`, by: null }))
    const lines = timeline(events, [task({ escalatedTo: ['i1'], ackDeadline: iso(9500) })], 3)
    expect(lines.map(l => l.text)).toEqual(['张三', 'e9', 'e8'])
    expect(lines[0]!.escalatedTo).toEqual(['i1'])
  })
})

describe('the map in wartime', () => {
  it('colours a responder by task state, an unacknowledged one red once escalated', () => {
    expect(responderStatus(task(), T0)).toBe('waiting')
    expect(responderStatus(task(), T0 + 6 * 60_000)).toBe('late')
    expect(responderStatus(task({ escalatedTo: ['i1'] }), T0)).toBe('escalated')
    expect(responderStatus(task({ state: 'acknowledged', escalatedTo: ['i1'] }), T0)).toBe('acknowledged')
    expect(responderStatus(task({ state: 'on_scene' }), T0)).toBe('on_scene')
  })

  it('counts a risk point covered once someone is on scene in its grid', () => {
    const points = [{ id: 'r1', name: 'a', kind: 'slope' as const, gridId: 'g1', location: { lon: 0, lat: 0 } }, { id: 'r2', name: 'b', kind: 'slope' as const, gridId: 'g2', location: { lon: 0, lat: 0 } }, { id: 'r3', name: 'c', kind: 'slope' as const, gridId: 'g9', location: { lon: 0, lat: 0 } }]
    const tasks = [task({ id: 'a', gridId: 'g1' }), task({ id: 'b', gridId: 'g2' })]
    expect(riskCoverage(points, tasks)).toEqual({ covered: 0, total: 2 })
    expect(riskCoverage(points, [...tasks, task({ id: 'c', gridId: 'g1', state: 'on_scene' })])).toEqual({ covered: 1, total: 2 })
  })
})

describe('the wartime store', () => {
  beforeEach(() => setActivePinia(createPinia()))

  it('applies operation and task changes by version and never goes back to an older one', () => {
    const s = useWartimeStore()
    s.apply([change('operation', operation()), change('task', task({ version: 2, state: 'acknowledged' })), change('task', task({ version: 1 }))])
    expect(s.active).toBe(true)
    expect(s.opTasks.map(t => t.state)).toEqual(['acknowledged'])
    s.apply([change('operation', operation({ version: 2, active: false }))])
    expect(s.active).toBe(false)
  })

  it('drops the last operation\'s tasks when a new one starts, and ignores a late change of an old one', () => {
    const s = useWartimeStore()
    s.apply([change('operation', operation()), change('task', task())])
    s.apply([change('operation', operation({ id: 'op-2' })), change('task', task({ id: 't2', operationId: 'op-2' }))])
    expect([...s.tasks.keys()]).toEqual(['t2'])
    s.apply([change('operation', operation({ version: 9, active: false }))])
    expect(s.operation?.id).toBe('op-2')
  })

  it('follows presence events', () => {
    const s = useWartimeStore()
    s.presence({ personId: 'p1', online: true })
    expect(s.online.has('p1')).toBe(true)
    s.presence({ personId: 'p1', online: false })
    expect(s.online.has('p1')).toBe(false)
  })
})
