import type { Task } from '../../../shared/wartime/schema.ts'
import { createPinia, setActivePinia } from 'pinia'
import { beforeEach, describe, expect, it } from 'vitest'
import { useFieldTasksStore } from '../../../client/screens/field/tasks.ts'

function task(over: Partial<Task> = {}): Task {
  const at = '2026-11-27T08:00:00.000Z'
  return { id: 't1', version: 1, operationId: 'op1', planId: 'p', templateId: 'patrol', assigneeId: 'gw-1', assigneeName: '刘', gridId: 'g1', riskPointId: null, title: '网格巡查', instructions: '巡查', state: 'sent', sentAt: at, deliveredAt: null, ackAt: null, onSceneAt: null, doneAt: null, ackDeadline: at, arriveDeadline: at, resends: 0, escalatedTo: [], note: null, updatedAt: at, ...over }
}

/** A socket stand-in that records what the store emits and lets the test push server events. */
function fakeSocket() {
  const handlers = new Map<string, (arg: unknown) => void>()
  const emitted: [string, unknown][] = []
  return {
    connected: false,
    on: (e: string, h: (arg: unknown) => void) => handlers.set(e, h),
    emit: (e: string, arg: unknown) => emitted.push([e, arg]),
    push: (e: string, arg: unknown) => handlers.get(e)?.(arg),
    emitted,
  }
}

describe('the field view\'s tasks', () => {
  beforeEach(() => setActivePinia(createPinia()))

  it('confirms receipt of a new task and rings once; a re-send rings again, a repeat does not', () => {
    const tasks = useFieldTasksStore()
    const socket = fakeSocket()
    tasks.bind(socket as never)
    socket.push('task:changed', task())
    expect(socket.emitted).toEqual([['task:received', { id: 't1' }]])
    expect(tasks.rings).toBe(1)
    socket.push('task:changed', task())
    expect(tasks.rings).toBe(1)
    socket.push('task:changed', task({ version: 2, resends: 1 }))
    expect(tasks.rings).toBe(2)
  })

  it('keeps the newest version whatever the order of arrival', () => {
    const tasks = useFieldTasksStore()
    tasks.receive(task({ version: 3, state: 'acknowledged' }))
    tasks.receive(task({ version: 2, state: 'delivered' }))
    expect(tasks.byId.get('t1')!.state).toBe('acknowledged')
  })

  it('shows a pressed status at once and drops the mark when the server has it, or refused it', () => {
    const tasks = useFieldTasksStore()
    tasks.receive(task({ state: 'delivered' }))
    tasks.markPending('t1', 'acknowledged')
    expect(tasks.pendingState.get('t1')).toBe('acknowledged')
    tasks.upsert(task({ version: 2, state: 'acknowledged' }))
    expect(tasks.pendingState.has('t1')).toBe(false)
    tasks.markPending('t1', 'on_scene')
    tasks.clearPending('t1')
    expect(tasks.pendingState.has('t1')).toBe(false)
  })

  it('lists open tasks first, most recent first', () => {
    const tasks = useFieldTasksStore()
    tasks.receive(task({ id: 'a', state: 'done', sentAt: '2026-11-27T09:00:00.000Z' }))
    tasks.receive(task({ id: 'b', state: 'sent', sentAt: '2026-11-27T08:00:00.000Z' }))
    tasks.receive(task({ id: 'c', state: 'sent', sentAt: '2026-11-27T08:30:00.000Z' }))
    expect(tasks.list.map(t => t.id)).toEqual(['c', 'b', 'a'])
    expect(tasks.open.map(t => t.id)).toEqual(['c', 'b'])
  })
})
