import type { MeResponse } from '../../../shared/auth/schema.ts'
import type { Message } from '../../../shared/messages/schema.ts'
import type { Task } from '../../../shared/wartime/schema.ts'
import { createPinia, setActivePinia } from 'pinia'
import { beforeEach, describe, expect, it, vi } from 'vitest'
import { useSessionStore } from '../../../client/auth/store.ts'
import { useInboxStore } from '../../../client/messages/inbox.ts'

const AT = '2026-11-27T08:00:00.000Z'
function message(over: Partial<Message> = {}, recipients: Message['recipients'] = [{ personId: 'gw-1', deliveredAt: null, readAt: null }, { personId: 'gw-2', deliveredAt: null, readAt: null }]): Message {
  return { id: 'm1', version: 1, text: '到岗指令', sentAt: AT, sentBy: 'op-01', audience: { all: false, communityIds: ['c1'], gridIds: [], forceKinds: [] }, recipients, updatedAt: AT, ...over }
}
function task(over: Partial<Task> = {}): Task {
  return { id: 't1', version: 3, operationId: 'op1', planId: 'p', templateId: 'patrol', assigneeId: 'gw-9', assigneeName: '刘', gridId: 'g1', riskPointId: null, title: '寸滩社区第1网格：巡查', instructions: '巡查', state: 'sent', sentAt: AT, deliveredAt: null, ackAt: null, onSceneAt: null, doneAt: null, ackDeadline: AT, arriveDeadline: AT, resends: 1, escalatedTo: ['gw-1'], note: null, updatedAt: AT, ...over }
}

/** A socket stand-in that records what the store emits and lets the test push server events. */
function fakeSocket() {
  const handlers = new Map<string, (arg: unknown) => void>()
  const emitted: [string, unknown][] = []
  return {
    connected: false,
    on: (e: string, h: (arg: unknown) => void) => handlers.set(e, h),
    emit: (e: string, arg: unknown) => emitted.push([e, arg]),
    push: (e: string, arg?: unknown) => handlers.get(e)?.(arg),
    emitted,
  }
}

function signedInAs(personId: string): void {
  useSessionStore().me = { principal: { kind: 'device', id: 'd1', personId, name: '王', roles: ['grid_worker'], gridIds: ['g1'], communityId: 'c1', sectorId: null }, readOnly: false, csrf: 'x' } as unknown as MeResponse
}

describe('the inbox on a phone', () => {
  beforeEach(() => {
    setActivePinia(createPinia())
    signedInAs('gw-1')
  })

  it('confirms delivery on arrival, rings once, and holds the message until 收到 sends the read receipt', () => {
    const inbox = useInboxStore()
    const socket = fakeSocket()
    inbox.bind(socket as never)
    socket.push('message:new', message())
    socket.push('message:new', message())
    expect(socket.emitted).toEqual([['message:received', { id: 'm1' }], ['message:received', { id: 'm1' }]])
    expect(inbox.rings).toBe(1)
    expect(inbox.notices.map(n => n.id)).toEqual(['m1'])
    inbox.acknowledge('m1')
    expect(socket.emitted.at(-1)).toEqual(['message:read', { id: 'm1' }])
    expect(inbox.notices).toEqual([])
  })

  it('ignores a message that is not for this person', () => {
    const inbox = useInboxStore()
    const socket = fakeSocket()
    inbox.bind(socket as never)
    socket.push('message:new', message({}, [{ personId: 'gw-7', deliveredAt: null, readAt: null }]))
    expect(socket.emitted).toEqual([])
    expect(inbox.notices).toEqual([])
  })

  it('on reconnect fetches what arrived offline: unread ones become banners, read ones stay away', async () => {
    const fetched = [
      message({ id: 'm-old', sentAt: '2026-11-27T07:00:00.000Z' }, [{ personId: 'gw-1', deliveredAt: AT, readAt: AT }]),
      message({ id: 'm-missed' }),
    ]
    vi.stubGlobal('fetch', async () => new Response(JSON.stringify(fetched), { status: 200, headers: { 'content-type': 'application/json' } }))
    try {
      const inbox = useInboxStore()
      const socket = fakeSocket()
      inbox.bind(socket as never)
      socket.push('connect')
      await vi.waitFor(() => expect(inbox.notices.map(n => n.id)).toEqual(['m-missed']))
      expect(socket.emitted).toEqual([['message:received', { id: 'm-missed' }]])
      expect(inbox.rings).toBe(1)
    }
    finally {
      vi.unstubAllGlobals()
    }
  })

  it('shows a task escalated to me as supervisor, newest version only, until dismissed', () => {
    const inbox = useInboxStore()
    const socket = fakeSocket()
    inbox.bind(socket as never)
    socket.push('task:escalated', task())
    socket.push('task:escalated', task())
    expect(inbox.rings).toBe(1)
    socket.push('task:escalated', task({ version: 4, updatedAt: '2026-11-27T08:05:00.000Z' }))
    expect(inbox.escalations.map(e => e.id)).toEqual(['t1:4'])
    expect(inbox.notices.map(n => n.kind)).toEqual(['escalation'])
    inbox.dismiss('t1:4')
    expect(inbox.notices).toEqual([])
  })
})
