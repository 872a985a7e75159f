import type { TaskFacts } from '../../../shared/notify/ladder.ts'
import type { Delivery } from '../../../shared/notify/schema.ts'
import { describe, expect, it } from 'vitest'
import { deliveryId, messageLadder, messageRungDue, reachCounts, reachedBy, taskLadder, taskRungDue } from '../../../shared/notify/ladder.ts'

const MIN = 60_000
const T0 = Date.parse('2026-07-20T08:00:00Z')
const iso = (ms: number) => new Date(T0 + ms).toISOString()

function facts(over: Partial<TaskFacts> = {}): TaskFacts {
  return { state: 'sent', sentAt: iso(0), ackDeadline: iso(5 * MIN), resends: 0, escalatedTo: [], ...over }
}
function delivery(over: Partial<Delivery>): Delivery {
  return { id: 'd', version: 2, subject: { kind: 'task', id: 't1' }, operationId: 'op', personId: 'p1', rung: 1, channel: 'push', status: 'sent', to: [], queuedAt: iso(0), sentAt: iso(0), doneAt: null, providerId: null, error: null, updatedAt: iso(0), ...over }
}

describe('the task ladder', () => {
  const rungs = taskLadder({ ackMs: 5 * MIN, resendMs: 2.5 * MIN, smartphone: true })
  const rung = (i: number) => rungs[i]!
  const due = (i: number, f: TaskFacts, ms: number, escalatedAt: string | null = null) => taskRungDue(rung(i), f, T0 + ms, { resendMs: 2.5 * MIN, escalatedAt })

  it('climbs app, push, SMS, robot, supervisors, last resort, with delays from the acknowledgement window', () => {
    expect(rungs.map(r => [r.channel, r.role, r.afterMs / 1000])).toEqual([
      ['app', 'app', 0],
      ['push', 'chase', 30],
      ['sms', 'resend', 300],
      ['robot', 'group', 450],
      ['supervisor', 'escalate', 450],
      ['supervisor', 'lastResort', 600],
    ])
  })

  it('compresses with the plan: a drill\'s 10-second window pushes after one second', () => {
    expect(taskLadder({ ackMs: 10_000, resendMs: 5000, smartphone: true })[1]!.afterMs).toBe(1000)
    expect(taskLadder({ ackMs: 60 * MIN, resendMs: 30 * MIN, smartphone: true })[1]!.afterMs).toBe(30_000)
  })

  it('sends a person without a smartphone straight to SMS, with the same indices', () => {
    const plain = taskLadder({ ackMs: 5 * MIN, resendMs: 2.5 * MIN, smartphone: false })
    expect(plain[1]).toEqual({ index: 1, channel: 'sms', role: 'chase', afterMs: 0 })
    expect(taskRungDue(plain[1]!, facts({ state: 'delivered' }), T0, { resendMs: 2.5 * MIN, escalatedAt: null })).toBe(true)
    expect(plain.map(r => r.index)).toEqual(rungs.map(r => r.index))
  })

  it('pushes only while no device has confirmed receipt', () => {
    expect(due(1, facts(), 29_000)).toBe(false)
    expect(due(1, facts(), 30_000)).toBe(true)
    expect(due(1, facts({ state: 'delivered' }), 60_000)).toBe(false)
  })

  it('re-sends by SMS at the deadline, or once the task clock has re-sent', () => {
    expect(due(2, facts(), 5 * MIN - 1)).toBe(false)
    expect(due(2, facts(), 5 * MIN)).toBe(true)
    expect(due(2, facts({ resends: 1, ackDeadline: iso(8 * MIN) }), 10_000)).toBe(true)
  })

  it('escalates at the re-sent deadline, and tells the last resort a re-send window later', () => {
    const resent = facts({ resends: 1, ackDeadline: iso(7.5 * MIN) })
    expect(due(4, resent, 7.5 * MIN - 1)).toBe(false)
    expect(due(4, resent, 7.5 * MIN)).toBe(true)
    expect(due(3, resent, 7.5 * MIN)).toBe(true)
    expect(due(4, facts({ escalatedTo: ['x'] }), 0)).toBe(true)
    expect(due(5, resent, 20 * MIN, null)).toBe(false)
    expect(due(5, resent, 10 * MIN - 1, iso(7.5 * MIN))).toBe(false)
    expect(due(5, resent, 10 * MIN, iso(7.5 * MIN))).toBe(true)
  })

  it('stops for a task that is acknowledged, on scene, done or cancelled', () => {
    for (const state of ['acknowledged', 'on_scene', 'done', 'cancelled'])
      expect(rungs.map(r => due(r.index, facts({ state, resends: 1, escalatedTo: ['x'] }), 60 * MIN, iso(0)))).toEqual([false, false, false, false, false, false])
  })

  it('derives one delivery id per subject, person and rung', () => {
    const ids = new Set([deliveryId({ kind: 'task', id: 't' }, 'p', 1), deliveryId({ kind: 'task', id: 't' }, 'p', 2), deliveryId({ kind: 'message', id: 't' }, 'p', 1), deliveryId({ kind: 'task', id: 't' }, 'q', 1)])
    expect(ids.size).toBe(4)
    expect(deliveryId({ kind: 'task', id: 't' }, 'p', 1)).toBe(deliveryId({ kind: 'task', id: 't' }, 'p', 1))
  })
})

describe('the message ladder', () => {
  const rungs = messageLadder({ pushAfterMs: MIN, smsAfterMs: 10 * MIN, smartphone: true })
  it('pushes an unreceived message, then texts whoever has not read it', () => {
    const unread = { deliveredAt: iso(0), readAt: null }
    expect(messageRungDue(rungs[1]!, { deliveredAt: null, readAt: null }, iso(0), T0 + MIN)).toBe(true)
    expect(messageRungDue(rungs[1]!, unread, iso(0), T0 + MIN)).toBe(false)
    expect(messageRungDue(rungs[2]!, unread, iso(0), T0 + 10 * MIN - 1)).toBe(false)
    expect(messageRungDue(rungs[2]!, unread, iso(0), T0 + 10 * MIN)).toBe(true)
    expect(messageRungDue(rungs[2]!, { ...unread, readAt: iso(1) }, iso(0), T0 + 60 * MIN)).toBe(false)
  })
  it('texts a person without a smartphone at once, once', () => {
    const plain = messageLadder({ pushAfterMs: MIN, smsAfterMs: 10 * MIN, smartphone: false })
    expect(plain.map(r => [r.channel, r.afterMs])).toEqual([['app', 0], ['sms', 0]])
  })
})

describe('which channel reached a person', () => {
  it('is the app when the device confirmed receipt before any other rung went', () => {
    expect(reachedBy({ deliveredAt: iso(1000), ackAt: null }, [delivery({ sentAt: iso(30_000) })])).toBe('app')
    expect(reachedBy({ deliveredAt: iso(1000), ackAt: null }, [])).toBe('app')
  })
  it('is the last rung sent before the receipt: a push woke the phone', () => {
    expect(reachedBy({ deliveredAt: iso(40_000), ackAt: null }, [delivery({ sentAt: iso(30_000) })])).toBe('push')
  })
  it('is the rung they answered through, whatever came before', () => {
    expect(reachedBy({ deliveredAt: iso(301_000), ackAt: iso(301_000) }, [delivery({ sentAt: iso(30_000) }), delivery({ channel: 'sms', rung: 2, status: 'acknowledged', sentAt: iso(300_000) })])).toBe('sms')
  })
  it('is an SMS the carrier delivered to someone who has not answered yet; nobody when nothing arrived', () => {
    expect(reachedBy({ deliveredAt: null, ackAt: null }, [delivery({ channel: 'sms', status: 'delivered' })])).toBe('sms')
    expect(reachedBy({ deliveredAt: null, ackAt: null }, [delivery({ status: 'skipped', sentAt: null })])).toBeNull()
  })
  it('counts tasks per channel, supervisors\' rungs aside', () => {
    const tasks = [{ id: 't1', deliveredAt: iso(1), ackAt: iso(2) }, { id: 't2', deliveredAt: null, ackAt: null }, { id: 't3', deliveredAt: null, ackAt: null }]
    const ds = [delivery({ subject: { kind: 'task', id: 't2' }, channel: 'sms', status: 'delivered' }), delivery({ subject: { kind: 'task', id: 't3' }, channel: 'supervisor', status: 'sent' })]
    expect(reachCounts(tasks, ds)).toEqual({ app: 1, push: 0, sms: 1, none: 1 })
  })
})
