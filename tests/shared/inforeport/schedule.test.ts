import type { InfoReport } from '../../../shared/inforeport/schema.ts'
import { describe, expect, it } from 'vitest'
import { asAtEnd, figuresOf } from '../../../shared/inforeport/draft.ts'
import { DEFAULT_INFOREPORT_TIMES, reportTimes } from '../../../shared/inforeport/rules.ts'
import { clockOf, countdown, openReport, schedule } from '../../../shared/inforeport/schedule.ts'
import { iso, MIN, operation, T0, task } from '../../client/wartime/factories.ts'

const times = DEFAULT_INFOREPORT_TIMES
const at = (minutes: number) => new Date(T0 + minutes * MIN)
function sent(r: InfoReport, minutes: number, next: number | null): InfoReport {
  return { ...r, version: r.version + 1, state: 'sent', sentAt: iso(minutes * MIN), nextDueAt: next === null ? null : iso(next * MIN) }
}

describe('the deadlines', () => {
  it('takes the defaults, then the package\'s, then the package\'s for the plan', () => {
    expect(reportTimes(undefined, 'p')).toEqual(times)
    const settings = { followUpMinutes: 60, plans: { 'level-1': { followUpMinutes: 30, initialMinutes: 15 } } }
    expect(reportTimes(settings, 'level-2')).toEqual({ ...times, followUpMinutes: 60 })
    expect(reportTimes(settings, 'level-1')).toEqual({ ...times, followUpMinutes: 30, initialMinutes: 15 })
  })
})

describe('the schedule', () => {
  const op = operation({ id: 'op-1', declaredAt: iso(0) })

  it('opens the 初报 once, and the next 续报 only after a send while the operation runs', () => {
    const steps = schedule(op, [], times, at(0))
    expect(steps.map(s => `${s.kind}:${s.report.id}`)).toEqual(['open:op-1:initial'])
    const initial = steps[0]!.report
    expect(initial.draftAt).toBe(iso((times.initialMinutes - times.leadMinutes) * MIN))
    expect(schedule(op, [initial], times, at(5))).toEqual([])
    const next = schedule(op, [sent(initial, 25, 145)], times, at(25))
    expect(next.map(s => [s.kind, s.report.id, s.report.dueAt])).toEqual([['open', 'op-1:follow_up:1', iso(145 * MIN)]])
  })

  it('after the end opens the 终报 drafted at once and cancels the 续报 never sent', () => {
    const ended = { ...op, active: false, endedAt: iso(200 * MIN) }
    const initial = sent(openReport('op-1', 'initial', 0, iso(30 * MIN), times, at(0)), 25, 145)
    const followUp = openReport('op-1', 'follow_up', 1, iso(145 * MIN), times, at(25))
    const steps = schedule(ended, [initial, followUp], times, at(200))
    expect(steps.map(s => `${s.kind}:${s.report.id}`)).toEqual(['open:op-1:final', 'draft:op-1:final', 'cancel:op-1:follow_up:1'])
    expect(steps[0]!.report.dueAt).toBe(iso((200 + times.finalMinutes) * MIN))
  })
})

describe('the clocks the wall shows', () => {
  it('counts down, turns overdue after the deadline and says when sent', () => {
    const r = openReport('op-1', 'initial', 0, iso(30 * MIN), times, at(0))
    expect(clockOf(r, T0 + 29 * MIN)).toEqual({ state: 'waiting', leftMs: MIN })
    expect(clockOf({ ...r, state: 'draft' }, T0 + 31 * MIN)).toEqual({ state: 'overdue', leftMs: -MIN })
    expect(clockOf(sent(r, 40, null), T0 + 50 * MIN).state).toBe('sent')
    expect(countdown(-(3600 + 62) * 1000)).toBe('1:01:02')
  })
})

describe('the figures of an ended operation', () => {
  it('are the board as it stood at the end, before the end cancelled the open tasks', () => {
    const end = iso(60 * MIN)
    const op = operation({ active: false, endedAt: end })
    const tasks = [
      task({ id: 'a', state: 'cancelled', ackAt: iso(MIN), updatedAt: end }),
      task({ id: 'b', state: 'cancelled', updatedAt: end }),
      task({ id: 'c', state: 'done', ackAt: iso(MIN), onSceneAt: iso(2 * MIN), doneAt: iso(3 * MIN) }),
      task({ id: 'd', state: 'cancelled', updatedAt: iso(10 * MIN) }), // cancelled before the end: not counted
    ]
    expect(asAtEnd(tasks, op).map(t => t.state)).toEqual(['acknowledged', 'sent', 'done', 'cancelled'])
    expect(figuresOf(op, tasks, at(90))).toMatchObject({ at: end, total: 3, acknowledged: 2, done: 1, late: 1 })
  })
})
