import { describe, expect, it } from 'vitest'
import { activeWarnings, checklist, elapsed, headlineWarning, isAcknowledged, proposalOf, tally, timeline, unreachable } from '../../../client/wartime/logic.ts'
import { responderStatus, riskCoverage } from '../../../client/wartime/map-features.ts'
import { JULY_RAINSTORM_PLAN } from '../../../shared/wartime/default-plans.ts'
import { iso, T0, task, warning } from './factories.ts'

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

  it('counts a task acknowledged by its state, the test the server\'s acknowledgement clock applies', () => {
    expect(isAcknowledged(task({ state: 'delivered', deliveredAt: iso(1000) }))).toBe(false)
    expect(isAcknowledged(task({ state: 'acknowledged', ackAt: iso(2000) }))).toBe(true)
    expect(isAcknowledged(task({ state: 'done', ackAt: iso(2000), onSceneAt: iso(3000), doneAt: iso(4000) }))).toBe(true)
    // A cancelled task is out of every figure, whatever it had reached before.
    expect(tally([task({ state: 'cancelled', ackAt: iso(2000) })], T0)).toMatchObject({ total: 0, acknowledged: 0 })
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

describe('warnings', () => {
  it('keeps the active ones, newest first', () => {
    const list = activeWarnings([warning({ id: 'old', receivedAt: iso(0) }), warning({ id: 'gone', state: 'expired' }), warning({ id: 'new', receivedAt: iso(1000) })])
    expect(list.map(w => w.id)).toEqual(['new', 'old'])
  })

  it('proposes from a real warning before an exercise, and heads the header with one', () => {
    const exercise = warning({ id: 'ex', exercise: true, receivedAt: iso(2000) })
    const real = warning({ id: 'real', receivedAt: iso(1000) })
    const quiet = warning({ id: 'quiet', proposal: null, receivedAt: iso(3000) })
    expect(proposalOf([exercise, real])?.id).toBe('real')
    expect(proposalOf([exercise])?.id).toBe('ex')
    expect(proposalOf([quiet])).toBeNull()
    expect(headlineWarning([exercise, real])?.id).toBe('real')
    expect(headlineWarning([exercise])?.id).toBe('ex')
    expect(headlineWarning([])).toBeNull()
  })
})
