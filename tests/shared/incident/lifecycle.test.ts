import type { ActionBody, ActionKind, Actor, Incident, IncidentState } from '../../../shared/incident/schema.ts'
import type { RoleKey } from '../../../shared/territory/types.ts'
import { describe, expect, it } from 'vitest'
import { ACTION_RULES, ALL_STATES, allowedActions, applyAction, FINISHED_STATES, isOpen } from '../../../shared/incident/lifecycle.ts'
import { DEFAULT_CATALOG } from '../../../shared/organisation/catalog.ts'
import { makeIncident, minutesAfter, NOW, OPERATOR, WORKER } from '../fixtures.ts'

const LATER = minutesAfter(NOW, 30)
// A 12345 order's op (`hotline`) needs an order and an op body: tests/shared/hotline covers it state by state.
const ACTIONS = (Object.keys(ACTION_RULES) as ActionKind[]).filter(a => a !== 'hotline')
const ROLES: RoleKey[] = ['admin', 'commander', 'operator', 'sector_lead', 'post_staff', 'community_staff', 'grid_worker', 'force_member', 'leader', 'wall', 'integration', 'system']
const TARGET = makeIncident({ id: 'inc-2' })

/** A body carrying every field the action could need. */
function fullBody(action: ActionKind): ActionBody {
  return { action, note: '说明', sectorId: 'safety', postId: 'safety.law_enforcement', assigneeId: 'p-handler', mergeInto: TARGET.id, satisfied: true }
}

function actorFor(action: ActionKind): Actor {
  return { personId: 'p-1', role: ACTION_RULES[action].roles[0]! }
}

function act(incident: Incident, body: ActionBody, actor: Actor = actorFor(body.action), now = LATER) {
  return applyAction(incident, body, actor, { now, catalog: DEFAULT_CATALOG, mergeTarget: TARGET, device: 'phone-1' })
}

function ok(result: ReturnType<typeof applyAction>) {
  if (!result.ok)
    throw new Error(`expected ok, got ${result.code}: ${result.message}`)
  return result
}

const EXPECTED_TO: Partial<Record<ActionKind, Partial<Record<IncidentState, IncidentState>>>> = {
  accept: { reported: 'accepted' },
  assign: { accepted: 'assigned' },
  transfer: { assigned: 'assigned' },
  start: { assigned: 'handling' },
  arrive: { handling: 'handling' },
  progress: { assigned: 'assigned', handling: 'handling' },
  resolve: { handling: 'resolved' },
  verify: { resolved: 'verified' },
  feedback: { verified: 'closed' },
  close: { verified: 'closed' },
  return: { assigned: 'accepted', handling: 'accepted', resolved: 'handling' },
  escalate: { reported: 'reported', accepted: 'reported', assigned: 'reported', handling: 'reported' },
  reopen: { closed: 'assigned' },
  merge: { reported: 'merged', accepted: 'merged' },
  reject: { reported: 'rejected', accepted: 'rejected' },
}

describe('lifecycle: every action from every state', () => {
  for (const action of ACTIONS) {
    for (const state of ALL_STATES) {
      const expected = EXPECTED_TO[action]?.[state]
      it(`${action} from ${state} ${expected ? `goes to ${expected}` : 'is illegal'}`, () => {
        const result = act(makeIncident({ state }), fullBody(action))
        if (expected) {
          expect(result.ok).toBe(true)
          expect(ok(result).incident.state).toBe(expected)
          expect(ok(result).entry).toMatchObject({ action, from: state, to: expected })
        }
        else {
          expect(result).toMatchObject({ ok: false, code: 'illegal_state', state, allowed: allowedActions(state) })
        }
      })
    }
  }

  it('agrees with allowedActions', () => {
    for (const state of ALL_STATES)
      expect(allowedActions(state).filter(a => a !== 'hotline').sort()).toEqual(ACTIONS.filter(a => EXPECTED_TO[a]?.[state]).sort())
  })

  it('leaves nothing to do in a finished state but reopen a closed one', () => {
    expect(allowedActions('closed')).toEqual(['reopen'])
    expect(allowedActions('rejected')).toEqual([])
    expect(allowedActions('merged')).toEqual([])
  })
})

describe('lifecycle: required fields', () => {
  for (const action of ACTIONS) {
    for (const field of ACTION_RULES[action].requires) {
      it(`${action} without ${field} is refused naming ${field}`, () => {
        const state = ACTION_RULES[action].from[0]!
        const body = { ...fullBody(action), [field]: undefined }
        expect(act(makeIncident({ state }), body)).toMatchObject({ ok: false, code: 'missing_field', field })
      })
    }
  }

  it('treats a blank note as missing', () => {
    expect(act(makeIncident({ state: 'handling' }), { action: 'resolve', note: '   ' })).toMatchObject({ code: 'missing_field', field: 'note' })
  })

  it('assign needs a sector, a post or a person', () => {
    expect(act(makeIncident({ state: 'accepted' }), { action: 'assign' })).toMatchObject({ code: 'missing_field', field: 'sectorId' })
    expect(act(makeIncident({ state: 'accepted' }), { action: 'assign', assigneeId: 'p-9' }).ok).toBe(true)
  })

  it('transfer needs a new owner besides its note', () => {
    expect(act(makeIncident({ state: 'assigned' }), { action: 'transfer', note: '不属本岗' })).toMatchObject({ code: 'missing_field', field: 'sectorId' })
  })

  it('feedback accepts satisfied = false as given', () => {
    expect(act(makeIncident({ state: 'verified' }), { action: 'feedback', satisfied: false }).ok).toBe(true)
  })
})

describe('lifecycle: roles', () => {
  for (const action of ACTIONS) {
    const forbidden = ROLES.filter(r => !ACTION_RULES[action].roles.includes(r))
    for (const role of forbidden) {
      it(`${role} may not ${action}`, () => {
        const state = ACTION_RULES[action].from[0] ?? 'reported'
        expect(act(makeIncident({ state }), fullBody(action), { personId: 'p-1', role })).toMatchObject({ ok: false, code: 'forbidden_role' })
      })
    }
  }

  it('gives leaders and the wall no action at all, and integrations only report (and a 12345 feed its order\'s ops)', () => {
    for (const action of Object.keys(ACTION_RULES) as ActionKind[]) {
      expect(ACTION_RULES[action].roles).not.toContain('leader')
      expect(ACTION_RULES[action].roles).not.toContain('wall')
      expect(ACTION_RULES[action].roles.includes('integration')).toBe(action === 'report' || action === 'hotline')
    }
  })

  it('lets the escalation clock (system) escalate', () => {
    expect(ACTION_RULES.escalate.roles).toContain('system')
  })

  it('refuses an unknown role', () => {
    expect(act(makeIncident(), { action: 'accept' }, { personId: 'x', role: 'hacker' })).toMatchObject({ code: 'forbidden_role' })
  })
})

describe('lifecycle: bookkeeping', () => {
  it('bumps the version, stamps updatedAt and acceptedAt, and records who, when, what and from which device', () => {
    const before = makeIncident()
    const { incident, entry } = ok(act(before, { action: 'accept', note: '收到' }, WORKER))
    expect(incident.version).toBe(2)
    expect(incident.updatedAt).toBe(LATER.toISOString())
    expect(incident.acceptedAt).toBe(LATER.toISOString())
    expect(entry).toEqual({ at: LATER.toISOString(), action: 'accept', actor: WORKER, device: 'phone-1', from: 'reported', to: 'accepted', note: '收到' })
  })

  it('never mutates its input', () => {
    const before = makeIncident({ state: 'assigned' })
    const snapshot = structuredClone(before)
    ok(act(before, { action: 'transfer', note: '转综合执法', postId: 'safety.law_enforcement' }))
    expect(before).toEqual(snapshot)
  })

  it('sets the next stage deadline from the catalog', () => {
    const { incident } = ok(act(makeIncident({ category: 'gas_leak' }), { action: 'accept' }))
    expect(incident.stageDeadline).toBe(minutesAfter(LATER, DEFAULT_CATALOG.categories.find(c => c.code === 'gas_leak')!.deadlines.accepted!).toISOString())
  })

  it('clears the deadline once finished', () => {
    for (const [state, body] of [['verified', { action: 'close' }], ['reported', { action: 'reject', note: '重复' }], ['reported', { action: 'merge', mergeInto: TARGET.id }]] as const) {
      const { incident } = ok(act(makeIncident({ state }), body))
      expect(FINISHED_STATES).toContain(incident.state)
      expect(incident.stageDeadline).toBeNull()
      expect(isOpen(incident)).toBe(false)
    }
  })

  it('stamps resolvedAt on resolve and closedAt on satisfied feedback', () => {
    const resolved = ok(act(makeIncident({ state: 'handling' }), { action: 'resolve', note: '已清理' })).incident
    expect(resolved.resolvedAt).toBe(LATER.toISOString())
    const closed = ok(act({ ...resolved, state: 'verified' }, { action: 'feedback', satisfied: true })).incident
    expect(closed).toMatchObject({ state: 'closed', satisfied: true, closedAt: LATER.toISOString() })
  })
})

describe('lifecycle: transitions in detail', () => {
  it('assigning a post implies its sector', () => {
    const { incident, entry } = ok(act(makeIncident({ state: 'accepted' }), { action: 'assign', postId: 'economy.business_env' }))
    expect(incident.owner).toMatchObject({ sectorId: 'economy', postId: 'economy.business_env', assigneeId: null })
    expect(entry.data).toEqual({ sectorId: 'economy', postId: 'economy.business_env', assigneeId: null })
  })

  it('refuses an unknown post or sector, or a post outside the named sector', () => {
    const accepted = makeIncident({ state: 'accepted' })
    expect(act(accepted, { action: 'assign', postId: 'x.y' })).toMatchObject({ code: 'bad_target', field: 'postId' })
    expect(act(accepted, { action: 'assign', sectorId: 'nope' })).toMatchObject({ code: 'bad_target', field: 'sectorId' })
    expect(act(accepted, { action: 'assign', sectorId: 'party', postId: 'safety.emergency' })).toMatchObject({ code: 'bad_target', field: 'postId' })
  })

  it('refuses a transfer to the current owner', () => {
    const assigned = makeIncident({ state: 'assigned', owner: { ...makeIncident().owner, sectorId: 'safety', postId: 'safety.emergency' } })
    expect(act(assigned, { action: 'transfer', note: '再转', postId: 'safety.emergency' })).toMatchObject({ code: 'bad_target' })
  })

  it('a transfer to another sector clears the old post and assignee', () => {
    const assigned = makeIncident({ state: 'assigned', owner: { ...makeIncident().owner, sectorId: 'safety', postId: 'safety.emergency', assigneeId: 'p-7' } })
    const { incident } = ok(act(assigned, { action: 'transfer', note: '属民生', sectorId: 'livelihood' }))
    expect(incident.owner).toMatchObject({ sectorId: 'livelihood', postId: null, assigneeId: null })
  })

  it('unsatisfied feedback sends the job back to assigned and counts a reopen', () => {
    const verified = makeIncident({ state: 'verified', resolvedAt: NOW.toISOString() })
    const { incident, entry } = ok(act(verified, { action: 'feedback', satisfied: false, note: '还是很吵', contact: 'phone' }))
    expect(incident).toMatchObject({ state: 'assigned', satisfied: false, reopenCount: 1, resolvedAt: null, closedAt: null, feedbackContact: 'phone' })
    expect(entry.data).toEqual({ satisfied: false, contact: 'phone' })
  })

  it('resolve keeps the result photos (after) apart from the report photos (before)', () => {
    const a = 'a'.repeat(64)
    const b = 'b'.repeat(64)
    const handling = makeIncident({ state: 'handling', photos: [a] })
    const { incident, entry } = ok(act(handling, { action: 'resolve', note: '已修复', photos: [b, b] }))
    expect(incident.photos).toEqual([a])
    expect(incident.resultPhotos).toEqual([b])
    expect(entry.data).toEqual({ photos: [b] })
  })

  it('arrival and progress notes keep the stage and its deadline', () => {
    const handling = makeIncident({ state: 'handling', stageDeadline: '2026-07-01T10:00:00.000Z' })
    const arrived = ok(act(handling, { action: 'arrive', location: { lon: 106.6, lat: 29.6 } }))
    expect(arrived.incident).toMatchObject({ state: 'handling', stageDeadline: '2026-07-01T10:00:00.000Z', arrivedAt: LATER.toISOString(), version: handling.version + 1 })
    expect(arrived.entry.data).toEqual({ location: { lon: 106.6, lat: 29.6 } })
    const again = ok(act(arrived.incident, { action: 'arrive' }, actorFor('arrive'), new Date(LATER.getTime() + 60_000)))
    expect(again.incident.arrivedAt).toBe(LATER.toISOString())
    const noted = ok(act(handling, { action: 'progress', note: '市场监管所已到场' }))
    expect(noted.incident).toMatchObject({ state: 'handling', stageDeadline: '2026-07-01T10:00:00.000Z' })
    expect(noted.entry.note).toBe('市场监管所已到场')
    expect(act(handling, { action: 'progress' })).toMatchObject({ ok: false, code: 'missing_field', field: 'note' })
  })

  it('return from resolved means verification failed: back to handling', () => {
    const { incident } = ok(act(makeIncident({ state: 'resolved', resolvedAt: NOW.toISOString() }), { action: 'return', note: '现场未清理' }))
    expect(incident).toMatchObject({ state: 'handling', resolvedAt: null })
  })

  it('return from handling goes back to the desk and frees the assignee', () => {
    const handling = makeIncident({ state: 'handling', owner: { ...makeIncident().owner, assigneeId: 'p-7' } })
    expect(ok(act(handling, { action: 'return', note: '非本岗职责' })).incident).toMatchObject({ state: 'accepted', owner: { assigneeId: null } })
  })

  it('escalate moves up one loop, back to reported, with no assignee', () => {
    const assigned = makeIncident({ state: 'assigned', owner: { ...makeIncident().owner, assigneeId: 'p-7' } })
    const { incident, entry } = ok(act(assigned, { action: 'escalate', note: '网格无法处置' }))
    expect(incident).toMatchObject({ state: 'reported', escalations: 1, owner: { loop: 'community', gridId: 'a-s', communityId: 'a', assigneeId: null } })
    expect(entry.data).toEqual({ fromLoop: 'grid', toLoop: 'community' })
  })

  it('escalate at the subdistrict loop is illegal, and not offered', () => {
    const top = makeIncident({ owner: { ...makeIncident().owner, loop: 'subdistrict' } })
    const result = act(top, { action: 'escalate', note: '再上报' })
    expect(result).toMatchObject({ ok: false, code: 'illegal_state', state: 'reported', allowed: expect.not.arrayContaining(['escalate']) })
  })

  it('reopen brings a closed incident back to assigned', () => {
    const closed = makeIncident({ state: 'closed', closedAt: NOW.toISOString(), resolvedAt: NOW.toISOString(), satisfied: true })
    expect(ok(act(closed, { action: 'reopen', note: '问题复发' })).incident).toMatchObject({ state: 'assigned', reopenCount: 1, closedAt: null, resolvedAt: null, satisfied: null })
  })

  it('merge records the target', () => {
    expect(ok(act(makeIncident(), { action: 'merge', mergeInto: TARGET.id })).incident).toMatchObject({ state: 'merged', mergedInto: TARGET.id })
  })

  it('merge refuses a missing, identical, merged or rejected target', () => {
    const incident = makeIncident()
    const merge = (mergeInto: string, mergeTarget: Incident | null) =>
      applyAction(incident, { action: 'merge', mergeInto }, OPERATOR, { now: LATER, catalog: DEFAULT_CATALOG, mergeTarget })
    expect(merge('inc-9', null)).toMatchObject({ code: 'bad_target', field: 'mergeInto' })
    expect(merge('inc-9', TARGET)).toMatchObject({ code: 'bad_target' })
    expect(merge(incident.id, incident)).toMatchObject({ code: 'bad_target' })
    expect(merge('inc-2', { ...TARGET, state: 'merged' })).toMatchObject({ code: 'bad_target' })
    expect(merge('inc-2', { ...TARGET, state: 'rejected' })).toMatchObject({ code: 'bad_target' })
  })

  it('report cannot be applied to an existing incident', () => {
    expect(act(makeIncident(), { action: 'report' }, WORKER)).toMatchObject({ code: 'illegal_state' })
  })

  it('walks the whole closed loop, one version per step', () => {
    let incident = makeIncident()
    const steps: ActionBody[] = [
      { action: 'accept' },
      { action: 'assign', postId: 'safety.law_enforcement' },
      { action: 'start' },
      { action: 'resolve', note: '已处置' },
      { action: 'verify' },
      { action: 'feedback', satisfied: true },
    ]
    for (const body of steps)
      incident = ok(act(incident, body, OPERATOR)).incident
    expect(incident).toMatchObject({ state: 'closed', version: 7, satisfied: true })
  })
})
