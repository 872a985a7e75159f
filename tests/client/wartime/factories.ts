import type { WartimeHeld } from '../../../client/wartime/reconcile.ts'
import type { Change } from '../../../shared/sync/schema.ts'
import type { Operation, Task, Warning, WartimeState } from '../../../shared/wartime/schema.ts'

// Small factories for the wartime tests: every entity starts at version 1 in operation op-1 at T0.

export const T0 = Date.parse('2026-07-15T12:00:00.000Z')
export const iso = (ms: number) => new Date(T0 + ms).toISOString()
export const MIN = 60_000

export function task(over: Partial<Task> = {}): Task {
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
    ackDeadline: iso(5 * MIN),
    arriveDeadline: iso(20 * MIN),
    resends: 0,
    escalatedTo: [],
    note: null,
    updatedAt: iso(0),
    ...over,
  }
}

export function operation(over: Partial<Operation> = {}): Operation {
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

export function warning(over: Partial<Warning> = {}): Warning {
  return {
    id: 'w1',
    version: 1,
    sender: 'cq@cma',
    identifier: 'w1',
    sent: iso(0),
    msgType: 'Alert',
    status: 'Actual',
    event: '暴雨红色预警',
    headline: '江北区气象台发布暴雨红色预警信号',
    description: '',
    colour: 'red',
    hazard: 'rainstorm',
    areaDesc: '江北区',
    affectedGridIds: ['g1'],
    state: 'active',
    expires: null,
    receivedAt: iso(0),
    proposal: { planId: 'rainstorm-red', planName: '暴雨红色预警 I级应急响应预案' },
    exercise: false,
    ...over,
  }
}

let seq = 0
type Entity = Task | Operation | Warning
const KIND = (e: Entity) => 'assigneeId' in e ? 'task' : 'declaredAt' in e ? 'operation' : 'warning'

/** A change-log entry carrying `e`, with the next seq. */
export function change(e: Entity): Change {
  return { seq: ++seq, at: 'updatedAt' in e ? e.updatedAt : e.receivedAt, kind: KIND(e), action: 'x', id: e.id, data: e } as Change
}

export function held(over: Partial<WartimeHeld> = {}): WartimeHeld {
  return { operation: null, plans: new Map(), tasks: new Map(), warnings: new Map(), ...over }
}

export function state(over: Partial<WartimeState> = {}): WartimeState {
  return { operation: null, plan: null, tasks: [], online: [], warnings: [], ...over }
}
