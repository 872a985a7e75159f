import type { ActionBody, Actor, HotlineOrder, Incident, IncidentState } from '../../../shared/incident/schema.ts'
import { describe, expect, it } from 'vitest'
import { checkHotlineReport, closeBlocked, markCounts, orderView, pendingRequest, stepLabel } from '../../../shared/hotline/order.ts'
import { MAX_MARKS } from '../../../shared/hotline/schema.ts'
import { applyAction } from '../../../shared/incident/lifecycle.ts'
import { DEFAULT_CATALOG } from '../../../shared/organisation/catalog.ts'
import { makeIncident, minutesAfter, NOW, OPERATOR } from '../fixtures.ts'

const HOTLINE: Actor = { personId: 'key-12345', role: 'integration' }
const LATER = minutesAfter(NOW, 30)
const DAY = 86_400_000

function order(over: Partial<HotlineOrder> = {}): HotlineOrder {
  return { orderNo: 'GD2026120700012', caller: '王女士', callerPhone: '13800000000', dueAt: '2024-07-13T08:00:00.000Z', requests: [], marks: [], ...over }
}

function withOrder(over: Partial<Incident> = {}, o: Partial<HotlineOrder> = {}): Incident {
  return makeIncident({ state: 'handling', stageDeadline: '2024-07-11T08:00:00.000Z', hotline: order(o), ...over })
}

/** Through the lifecycle, as the service applies it: the role rule, the state rule, then the op. */
function act(inc: Incident, hotline: ActionBody['hotline'], actor: Actor = OPERATOR, extra: Partial<ActionBody> = {}) {
  return applyAction(inc, { action: 'hotline', hotline, ...extra }, actor, { now: LATER, catalog: DEFAULT_CATALOG })
}

function ok(r: ReturnType<typeof act>) {
  if (!r.ok)
    throw new Error(`expected ok, got ${r.code}: ${r.message}`)
  return r
}

describe('hotline order: the desk side', () => {
  it('writes the reply and when, keeps the state and the stage clock, and records the text in the history', () => {
    const before = withOrder()
    const { incident, entry } = ok(act(before, { op: 'reply', text: '  已清理完毕，已电话告知来电人  ' }))
    expect(incident.hotline).toMatchObject({ replyText: '已清理完毕，已电话告知来电人', repliedAt: LATER.toISOString() })
    expect(incident.state).toBe('handling')
    expect(incident.stageDeadline).toBe(before.stageDeadline)
    expect(incident.version).toBe(before.version + 1)
    expect(entry).toMatchObject({ action: 'hotline', from: 'handling', to: 'handling', note: '已清理完毕，已电话告知来电人', data: { op: 'reply' } })
  })

  it('asks for an extension with its days and reason, pending until the hotline answers', () => {
    const { incident, entry } = ok(act(withOrder(), { op: 'request_extension', reason: '需协调供电公司', days: 3 }))
    expect(incident.hotline!.requests).toEqual([{ kind: 'extension', reason: '需协调供电公司', days: 3, at: LATER.toISOString(), by: OPERATOR.personId, status: 'pending' }])
    expect(pendingRequest(incident.hotline!)).toMatchObject({ index: 0 })
    expect(entry.data).toEqual({ op: 'request_extension', index: 0, days: 3 })
  })

  it('asks for a return with its reason', () => {
    const { incident } = ok(act(withOrder(), { op: 'request_return', reason: '不属本街道辖区' }))
    expect(incident.hotline!.requests[0]).toMatchObject({ kind: 'return', status: 'pending' })
    expect(incident.hotline!.requests[0]!.days).toBeUndefined()
  })

  it.each([
    [{ op: 'reply' as const, text: '   ' }, 'hotline.text'],
    [{ op: 'request_extension' as const, days: 2 }, 'hotline.reason'],
    [{ op: 'request_extension' as const, reason: '等配件' }, 'hotline.days'],
    [{ op: 'request_return' as const }, 'hotline.reason'],
    [undefined, 'hotline'],
  ])('refuses %j naming %s', (hotline, field) => {
    expect(act(withOrder(), hotline)).toMatchObject({ ok: false, code: 'missing_field', field })
  })

  it('takes one request at a time', () => {
    const asked = ok(act(withOrder(), { op: 'request_extension', reason: '等配件', days: 2 })).incident
    expect(act(asked, { op: 'request_return', reason: '不属本辖区' })).toMatchObject({ ok: false, code: 'illegal_state' })
  })

  it('refuses an op on an incident that carries no order', () => {
    expect(act(makeIncident({ state: 'handling' }), { op: 'reply', text: '好' })).toMatchObject({ ok: false, code: 'bad_target', field: 'hotline' })
  })

  it('leaves marks and answers to the hotline', () => {
    expect(act(withOrder(), { op: 'mark', kind: 'supervise' })).toMatchObject({ ok: false, code: 'forbidden_role' })
    expect(act(withOrder(), { op: 'answer_request', index: 0, approved: true })).toMatchObject({ ok: false, code: 'forbidden_role' })
  })

  it('is refused to leaders and the wall by the lifecycle, and once the incident is finished', () => {
    expect(act(withOrder(), { op: 'reply', text: '好' }, { personId: 'l', role: 'leader' })).toMatchObject({ ok: false, code: 'forbidden_role' })
    for (const state of ['closed', 'rejected', 'merged'] as IncidentState[])
      expect(act(withOrder({ state }), { op: 'reply', text: '好' })).toMatchObject({ ok: false, code: 'illegal_state' })
  })
})

describe('hotline order: the hotline side', () => {
  it('marks 督办 and 催办 with notes, counted for the queue badges', () => {
    const once = ok(act(withOrder(), { op: 'mark', kind: 'supervise', note: '市民多次来电' }, HOTLINE)).incident
    const twice = ok(act(once, { op: 'mark', kind: 'urge' }, HOTLINE)).incident
    const thrice = ok(act(twice, { op: 'mark', kind: 'supervise' }, HOTLINE))
    expect(thrice.incident.hotline!.marks.map(m => m.kind)).toEqual(['supervise', 'urge', 'supervise'])
    expect(thrice.incident.hotline!.marks[0]).toEqual({ kind: 'supervise', at: LATER.toISOString(), note: '市民多次来电' })
    expect(markCounts(thrice.incident.hotline)).toEqual({ supervise: 2, urge: 1 })
    expect(markCounts(undefined)).toEqual({ supervise: 0, urge: 0 })
    expect(thrice.entry).toMatchObject({ actor: HOTLINE, data: { op: 'mark', kind: 'supervise' }, to: 'handling' })
  })

  it('refuses a mark without its kind, and past the bound', () => {
    expect(act(withOrder(), { op: 'mark' }, HOTLINE)).toMatchObject({ code: 'missing_field', field: 'hotline.kind' })
    const full = withOrder({}, { marks: Array.from({ length: MAX_MARKS }, () => ({ kind: 'urge' as const, at: NOW.toISOString() })) })
    expect(act(full, { op: 'mark', kind: 'urge' }, HOTLINE)).toMatchObject({ ok: false, code: 'illegal_state' })
  })

  it('may not write the reply or ask for itself', () => {
    expect(act(withOrder(), { op: 'reply', text: '好' }, HOTLINE)).toMatchObject({ ok: false, code: 'forbidden_role' })
  })

  it('approving an extension moves the hotline deadline and the stage deadline by the days asked', () => {
    const before = withOrder()
    const asked = ok(act(before, { op: 'request_extension', reason: '等配件', days: 3 })).incident
    const { incident, entry } = ok(act(asked, { op: 'answer_request', index: 0, approved: true, answer: '同意延期' }, HOTLINE))
    expect(Date.parse(incident.hotline!.dueAt!) - Date.parse(before.hotline!.dueAt!)).toBe(3 * DAY)
    expect(Date.parse(incident.stageDeadline!) - Date.parse(before.stageDeadline!)).toBe(3 * DAY)
    expect(incident.hotline!.requests[0]).toMatchObject({ status: 'approved', answer: '同意延期', answeredAt: LATER.toISOString() })
    expect(incident.state).toBe('handling')
    expect(entry).toMatchObject({ note: '同意延期', data: { op: 'answer_request', index: 0, kind: 'extension', approved: true, days: 3 } })
    expect(pendingRequest(incident.hotline!)).toBeNull()
  })

  it('refusing an extension changes no deadline', () => {
    const before = withOrder()
    const asked = ok(act(before, { op: 'request_extension', reason: '等配件', days: 3 })).incident
    const { incident } = ok(act(asked, { op: 'answer_request', index: 0, approved: false, answer: '请按期办结' }, HOTLINE))
    expect(incident.hotline!.dueAt).toBe(before.hotline!.dueAt)
    expect(incident.stageDeadline).toBe(before.stageDeadline)
    expect(incident.hotline!.requests[0]!.status).toBe('refused')
  })

  it('approving a return rejects the incident: finished, no clock', () => {
    const asked = ok(act(withOrder(), { op: 'request_return', reason: '不属本辖区' })).incident
    const { incident, entry } = ok(act(asked, { op: 'answer_request', index: 0, approved: true }, HOTLINE))
    expect(incident.state).toBe('rejected')
    expect(incident.stageDeadline).toBeNull()
    expect(entry).toMatchObject({ from: 'handling', to: 'rejected' })
  })

  it('refusing a return leaves the case with the desk', () => {
    const asked = ok(act(withOrder(), { op: 'request_return', reason: '不属本辖区' })).incident
    expect(ok(act(asked, { op: 'answer_request', index: 0, approved: false }, HOTLINE)).incident.state).toBe('handling')
  })

  it('answers a request once, names a request that is not there, and needs approved', () => {
    const asked = ok(act(withOrder(), { op: 'request_return', reason: '不属本辖区' })).incident
    const refused = ok(act(asked, { op: 'answer_request', index: 0, approved: false }, HOTLINE)).incident
    expect(act(refused, { op: 'answer_request', index: 0, approved: true }, HOTLINE)).toMatchObject({ ok: false, code: 'illegal_state' })
    expect(act(refused, { op: 'answer_request', index: 3, approved: true }, HOTLINE)).toMatchObject({ ok: false, code: 'bad_target', field: 'hotline.index' })
    expect(act(asked, { op: 'answer_request', index: 0 }, HOTLINE)).toMatchObject({ ok: false, code: 'missing_field', field: 'hotline.approved' })
  })

  it('an approved extension of an order without its own deadline moves the stage deadline only', () => {
    const asked = ok(act(withOrder({}, { dueAt: undefined }), { op: 'request_extension', reason: '等配件', days: 1 })).incident
    const { incident } = ok(act(asked, { op: 'answer_request', index: 0, approved: true }, HOTLINE))
    expect(incident.hotline!.dueAt).toBeUndefined()
    expect(incident.stageDeadline).toBe(new Date(Date.parse('2024-07-11T08:00:00.000Z') + DAY).toISOString())
  })
})

describe('hotline order: closing', () => {
  it('keeps a 12345 case open until its reply is written', () => {
    const verified = withOrder({ state: 'verified' })
    expect(closeBlocked(verified, { action: 'close' })).toMatchObject({ field: 'hotline' })
    expect(act(verified, undefined, OPERATOR, { action: 'close' } as Partial<ActionBody>)).toMatchObject({ ok: false, code: 'missing_field', field: 'hotline' })
    expect(applyAction(verified, { action: 'feedback', satisfied: true }, OPERATOR, { now: LATER, catalog: DEFAULT_CATALOG })).toMatchObject({ ok: false, field: 'hotline' })
    // An unsatisfied resident sends it back to work: nothing is closed, nothing to answer yet.
    expect(applyAction(verified, { action: 'feedback', satisfied: false }, OPERATOR, { now: LATER, catalog: DEFAULT_CATALOG }).ok).toBe(true)
    const replied = withOrder({ state: 'verified' }, { replyText: '已处理', repliedAt: NOW.toISOString() })
    expect(applyAction(replied, { action: 'close' }, OPERATOR, { now: LATER, catalog: DEFAULT_CATALOG }).ok).toBe(true)
    expect(closeBlocked(makeIncident({ state: 'verified' }), { action: 'close' })).toBeNull()
  })
})

describe('hotline order: reports and the read-back', () => {
  it('puts a report with an order on the 12345 channel, and refuses another channel naming it', () => {
    const body = { category: 'noise', description: '噪音', location: { lon: 106.6, lat: 29.6 }, hotline: { orderNo: 'GD1' } }
    expect(checkHotlineReport(body)).toMatchObject({ ok: true, body: { channel: 'hotline_12345' } })
    expect(checkHotlineReport({ ...body, channel: 'open311' })).toMatchObject({ ok: false, field: 'channel' })
    const plain = { category: 'noise', description: '噪音', location: { lon: 106.6, lat: 29.6 }, channel: 'open311' as const }
    expect(checkHotlineReport(plain)).toEqual({ ok: true, body: plain })
  })

  it('reads back the order without the caller', () => {
    const inc = withOrder({}, { requests: [{ kind: 'extension', reason: 'r', days: 2, at: NOW.toISOString(), by: 'p', status: 'pending' }] })
    const view = orderView(inc)!
    expect(view).toMatchObject({ orderNo: 'GD2026120700012', incidentId: inc.id, state: 'handling', open: true, replyText: null })
    expect(view.requests).toEqual([{ index: 0, kind: 'extension', reason: 'r', days: 2, at: NOW.toISOString(), status: 'pending', answeredAt: null, answer: null }])
    expect(JSON.stringify(view)).not.toMatch(/王女士|13800000000/)
    expect(orderView(makeIncident())).toBeNull()
  })
})

describe('hotline order: timeline names', () => {
  it('names each step by its op and, for marks and answers, its kind', () => {
    expect(stepLabel({ op: 'mark', kind: 'supervise' })?.zh).toBe('12345督办')
    expect(stepLabel({ op: 'mark', kind: 'urge' })?.zh).toBe('12345催办')
    expect(stepLabel({ op: 'answer_request', kind: 'extension', approved: true })?.zh).toBe('12345同意延期')
    expect(stepLabel({ op: 'answer_request', kind: 'return', approved: false })?.en).toBe('12345 refused the return')
    expect(stepLabel({ op: 'reply' })?.zh).toBe('12345答复')
    expect(stepLabel({ op: 'nonsense' })).toBeNull()
    expect(stepLabel(undefined)).toBeNull()
  })
})
