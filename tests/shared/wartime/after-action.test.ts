import type { Operation, Task } from '../../../shared/wartime/schema.ts'
import { describe, expect, it } from 'vitest'
import { afterAction, figureLines } from '../../../shared/wartime/after-action.ts'

const T0 = Date.parse('2026-07-15T02:00:00.000Z')
const iso = (minutes: number) => new Date(T0 + minutes * 60_000).toISOString()

const op: Operation = {
  id: 'op-1',
  version: 3,
  active: false,
  reason: '暴雨',
  declaredAt: iso(0),
  declaredBy: 'cmd',
  warningId: null,
  planId: 'p',
  activatedAt: iso(1),
  endedAt: iso(31),
  endedBy: 'cmd',
  taskCount: 2,
  timeline: [{ at: iso(0), kind: 'declare', text: '宣布', by: 'cmd' }, { at: iso(31), kind: 'end', text: '结束', by: 'cmd' }],
  updatedAt: iso(31),
}
function task(id: string, name: string, gridId: string, over: Partial<Task> = {}): Task {
  return {
    id,
    version: 1,
    operationId: 'op-1',
    planId: 'p',
    templateId: 't',
    assigneeId: id,
    assigneeName: name,
    gridId,
    riskPointId: null,
    title: '巡查',
    instructions: '',
    state: 'cancelled',
    sentAt: iso(1),
    deliveredAt: null,
    ackAt: null,
    onSceneAt: null,
    doneAt: null,
    ackDeadline: iso(6),
    arriveDeadline: iso(21),
    resends: 0,
    escalatedTo: [],
    note: null,
    updatedAt: iso(31),
    ...over,
  }
}
const base = {
  operation: op,
  plan: { id: 'p', name: '预案', resources: [{ kind: 'pump', qty: 4, note: '抽水泵' }] },
  names: new Map([['inst', '王指导员']]),
  gridNames: new Map([['g1', '一网格'], ['g2', '二网格']]),
  riskPoints: [{ id: 'r1', name: '低洼路段', gridId: 'g1' }, { id: 'r2', name: '边坡', gridId: 'g2' }, { id: 'r3', name: '别处', gridId: 'g9' }],
}

describe('the after-action report', () => {
  it('says when everyone had acknowledged and arrived, in minutes after activation', () => {
    const r = afterAction({ ...base, tasks: [
      task('a', '甲', 'g1', { deliveredAt: iso(1.2), ackAt: iso(2), onSceneAt: iso(10), state: 'on_scene' }),
      task('b', '乙', 'g2', { deliveredAt: iso(1.5), ackAt: iso(4.5), onSceneAt: iso(16), doneAt: iso(30), state: 'done' }),
    ] })
    expect(r.figures).toMatchObject({ firstAck: { at: iso(2), name: '甲' }, allAcked: { at: iso(4.5), name: '乙' }, allAckedMinutes: 3.5, allOnSceneMinutes: 15, silent: [], durationMinutes: 31 })
    // Coverage counts the risk points of the grids the tasks cover, not the whole subdistrict's.
    expect(r.figures.coverage).toEqual({ total: 2, acknowledged: 2, onScene: 2, uncovered: [] })
    expect(r.timeline.map(e => e.kind)).toEqual(['declare', 'first-ack', 'all-acked', 'first-on-scene', 'all-on-scene', 'end'])
    expect(r.responders.map(x => x.reached)).toEqual(['on_scene', 'done'])
  })

  it('names the silent, counts re-sends and escalations, and uses a task\'s whole assignment for coverage', () => {
    const r = afterAction({ ...base, taskGrids: new Map([['a', ['g1', 'g2']]]), tasks: [
      task('a', '甲', 'g1', { ackAt: iso(2) }),
      task('b', '乙', 'g2', { resends: 1, escalatedTo: ['inst', 'commander'] }),
    ] })
    expect(r.figures).toMatchObject({ allAcked: null, allAckedMinutes: null, silent: ['乙'], resentTasks: 1, resends: 1, escalated: 1 })
    expect(r.figures.coverage).toEqual({ total: 2, acknowledged: 2, onScene: 0, uncovered: [] })
    expect(r.responders[1]!.escalatedTo).toEqual(['王指导员', '指挥长'])
    expect(figureLines(r).join('\n')).toMatch(/始终未确认 1 人：乙/)
  })

  it('adds the ladder\'s channels and the stock moves when the install records them', () => {
    const r = afterAction({ ...base, tasks: [task('a', '甲', 'g1', { ackAt: iso(3) })], deliveries: [
      { taskId: 'a', personId: 'a', channel: 'sms', status: 'delivered', at: iso(2) },
      { taskId: 'a', personId: 'a', channel: 'app', status: 'sent', at: iso(1) },
      { taskId: 'a', personId: 'a', channel: 'push', status: 'failed', at: iso(1.5) },
    ], moves: [{ at: iso(5), kind: 'issue', item: 'pump', qty: 3, place: '一号仓库' }, { at: iso(25), kind: 'return', item: 'pump', qty: 2, place: '一号仓库' }, { at: iso(6), kind: 'issue', item: 'sandbag', qty: 200, place: '一号仓库' }] })
    expect(r.responders[0]!.channels).toEqual(['app', 'push', 'sms'])
    expect(r.figures.channels).toEqual([{ channel: 'app', sent: 1, delivered: 0, failed: 0 }, { channel: 'push', sent: 1, delivered: 0, failed: 1 }, { channel: 'sms', sent: 1, delivered: 1, failed: 0 }])
    expect(r.resources).toEqual([{ item: 'pump', planned: 4, issued: 3, returned: 2, note: '抽水泵' }, { item: 'sandbag', planned: null, issued: 200, returned: 0, note: '' }])
  })
})
