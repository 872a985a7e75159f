import type { ActionBody, Actor, HotlineOrder, HotlineRequest, Incident, ReportBody } from '../incident/schema.ts'
import type { HotlineOp, HotlineOpKind, HotlineOrderView, MarkKind } from './schema.ts'
import { MAX_MARKS, MAX_REQUESTS } from './schema.ts'

// A 12345 work order's own rules, pure: which side may perform which op, what each op changes, and what the
// hotline reads back. The lifecycle calls applyHotlineOp for the incident action `hotline` (state unchanged but
// for an approved return, which rejects the incident: the order went back to the hotline to be sent elsewhere).

/** The hotline (its API key acts in the `integration` role) marks and answers; the desk replies and asks. */
const HOTLINE_SIDE: readonly HotlineOpKind[] = ['mark', 'answer_request']

export const OP_LABELS: Record<HotlineOpKind, { zh: string, en: string }> = {
  reply: { zh: '12345答复', en: '12345 reply' },
  request_extension: { zh: '申请延期', en: 'Extension requested' },
  request_return: { zh: '申请退单', en: 'Return requested' },
  mark: { zh: '12345督办/催办', en: '12345 supervision / urging' },
  answer_request: { zh: '12345审核申请', en: '12345 answered a request' },
}

/** A history step's name on the timeline: which op, and for a mark or an answer, which kind (12345督办, 12345同意延期 …). */
export function stepLabel(data: Record<string, unknown> | undefined): { zh: string, en: string } | null {
  const op = data?.op as HotlineOpKind | undefined
  if (op === 'mark' && (data?.kind === 'supervise' || data?.kind === 'urge'))
    return data.kind === 'supervise' ? { zh: '12345督办', en: '12345: supervised' } : { zh: '12345催办', en: '12345: urged' }
  if (op === 'answer_request' && typeof data?.approved === 'boolean') {
    const ext = data.kind === 'extension'
    return data.approved
      ? { zh: `12345同意${ext ? '延期' : '退单'}`, en: `12345 approved the ${ext ? 'extension' : 'return'}` }
      : { zh: `12345不同意${ext ? '延期' : '退单'}`, en: `12345 refused the ${ext ? 'extension' : 'return'}` }
  }
  return op && op in OP_LABELS ? OP_LABELS[op] : null
}

const DAY_MS = 86_400_000

export interface OpFailure {
  ok: false
  code: 'illegal_state' | 'missing_field' | 'forbidden_role' | 'bad_target'
  message: string
  field?: string
  state?: Incident['state']
}
export type OpResult = { ok: true, next: Incident, data: Record<string, unknown>, note?: string } | OpFailure

function failed(code: OpFailure['code'], message: string, field?: string, state?: Incident['state']): OpFailure {
  return { ok: false, code, message, ...(field ? { field } : {}), ...(state ? { state } : {}) }
}

const given = (s: string | undefined): s is string => typeof s === 'string' && s.trim() !== ''

/** The request still waiting for the hotline's answer, if any (at most one waits at a time). */
export function pendingRequest(order: HotlineOrder): { index: number, request: HotlineRequest } | null {
  const index = order.requests.findIndex(r => r.status === 'pending')
  return index < 0 ? null : { index, request: order.requests[index]! }
}

/** How many 督办 and 催办 marks an order carries: the queue row's badges. */
export function markCounts(order: HotlineOrder | undefined): Record<MarkKind, number> {
  const counts = { supervise: 0, urge: 0 }
  for (const m of order?.marks ?? []) counts[m.kind]++
  return counts
}

/** A deadline `days` calendar days later (null stays null). */
export function plusDays(at: string | null | undefined, days: number): string | null {
  return at ? new Date(Date.parse(at) + days * DAY_MS).toISOString() : null
}

function ask(incident: Incident, order: HotlineOrder, op: HotlineOp, actor: Actor, at: string): OpResult {
  const kind = op.op === 'request_extension' ? 'extension' : 'return'
  if (!given(op.reason))
    return failed('missing_field', `${op.op} requires hotline.reason`, 'hotline.reason')
  if (kind === 'extension' && op.days === undefined)
    return failed('missing_field', 'request_extension requires hotline.days', 'hotline.days')
  const waiting = pendingRequest(order)
  if (waiting)
    return failed('illegal_state', `request ${waiting.index} (${waiting.request.kind}) is still waiting for the hotline's answer`, 'hotline', incident.state)
  if (order.requests.length >= MAX_REQUESTS)
    return failed('illegal_state', `an order takes at most ${MAX_REQUESTS} requests`, 'hotline', incident.state)
  const request: HotlineRequest = { kind, reason: op.reason.trim(), at, by: actor.personId, status: 'pending' }
  if (kind === 'extension')
    request.days = op.days
  const index = order.requests.length
  return {
    ok: true,
    next: { ...incident, hotline: { ...order, requests: [...order.requests, request] } },
    data: { op: op.op, index, ...(kind === 'extension' ? { days: op.days } : {}) },
    note: request.reason,
  }
}

function answer(incident: Incident, order: HotlineOrder, op: HotlineOp, at: string): OpResult {
  if (op.index === undefined)
    return failed('missing_field', 'answer_request requires hotline.index', 'hotline.index')
  if (op.approved === undefined)
    return failed('missing_field', 'answer_request requires hotline.approved', 'hotline.approved')
  const request = order.requests[op.index]
  if (!request)
    return failed('bad_target', `order ${order.orderNo} has no request ${op.index}`, 'hotline.index')
  if (request.status !== 'pending')
    return failed('illegal_state', `request ${op.index} was already ${request.status}`, 'hotline.index', incident.state)
  const answered: HotlineRequest = { ...request, status: op.approved ? 'approved' : 'refused', answeredAt: at }
  if (given(op.answer))
    answered.answer = op.answer.trim()
  const requests = order.requests.map((r, i) => (i === op.index ? answered : r))
  let next: Incident = { ...incident, hotline: { ...order, requests } }
  if (op.approved && request.kind === 'extension') {
    // More time on both clocks: the hotline's own deadline and the stage the desk is working now.
    const days = request.days ?? 0
    const dueAt = plusDays(order.dueAt, days)
    next = { ...next, stageDeadline: plusDays(incident.stageDeadline, days), hotline: { ...next.hotline!, ...(dueAt ? { dueAt } : {}) } }
  }
  if (op.approved && request.kind === 'return')
    next = { ...next, state: 'rejected' } // 退单: the hotline takes the order back; nothing more is done here
  return {
    ok: true,
    next,
    data: { op: op.op, index: op.index, kind: request.kind, approved: op.approved, ...(request.days !== undefined ? { days: request.days } : {}) },
    note: answered.answer,
  }
}

/**
 * Applies one op to the incident's order. The lifecycle has checked the role may take the action `hotline` at all
 * and that the incident is open; this checks the side (hotline or desk), the op's fields and the order's state.
 */
export function applyHotlineOp(incident: Incident, op: HotlineOp | undefined, actor: Actor, now: Date): OpResult {
  if (!op)
    return failed('missing_field', 'hotline requires hotline.op', 'hotline')
  const order = incident.hotline
  if (!order)
    return failed('bad_target', `incident ${incident.id} carries no 12345 order`, 'hotline')
  const hotlineSide = actor.role === 'integration'
  if (hotlineSide !== HOTLINE_SIDE.includes(op.op))
    return failed('forbidden_role', hotlineSide ? `the hotline may not ${op.op}; it marks and answers requests` : `only the hotline may ${op.op}`)
  const at = now.toISOString()
  switch (op.op) {
    case 'reply':
      if (!given(op.text))
        return failed('missing_field', 'reply requires hotline.text', 'hotline.text')
      return { ok: true, next: { ...incident, hotline: { ...order, replyText: op.text.trim(), repliedAt: at } }, data: { op: op.op }, note: op.text.trim() }
    case 'request_extension':
    case 'request_return':
      return ask(incident, order, op, actor, at)
    case 'mark': {
      if (!op.kind)
        return failed('missing_field', 'mark requires hotline.kind', 'hotline.kind')
      if (order.marks.length >= MAX_MARKS)
        return failed('illegal_state', `an order keeps at most ${MAX_MARKS} marks`, 'hotline', incident.state)
      const mark = { kind: op.kind, at, ...(given(op.note) ? { note: op.note.trim() } : {}) }
      return { ok: true, next: { ...incident, hotline: { ...order, marks: [...order.marks, mark] } }, data: { op: op.op, kind: op.kind }, note: mark.note }
    }
    case 'answer_request':
      return answer(incident, order, op, at)
  }
}

/**
 * A 12345 case is not closed before the desk has written its reply: the hotline closes its order with that answer.
 * Null when nothing stands in the way (no order, a reply written, or not a closing step).
 */
export function closeBlocked(incident: Incident, body: ActionBody): { message: string, field: string } | null {
  const closing = body.action === 'close' || (body.action === 'feedback' && body.satisfied === true)
  if (!closing || !incident.hotline || given(incident.hotline.replyText))
    return null
  return { message: `12345 order ${incident.hotline.orderNo} needs its reply (答复) before it is closed`, field: 'hotline' }
}

/** A report carrying an order is a 12345 report: another channel is a client mistake. */
export function checkHotlineReport(body: ReportBody): { ok: true, body: ReportBody } | { ok: false, message: string, field: string } {
  if (!body.hotline)
    return { ok: true, body }
  if (body.channel !== undefined && body.channel !== 'hotline_12345')
    return { ok: false, message: `a report with a 12345 order comes on channel hotline_12345, not ${body.channel}`, field: 'channel' }
  return { ok: true, body: { ...body, channel: 'hotline_12345' } }
}

/** What the hotline reads back about its order. */
export function orderView(incident: Incident): HotlineOrderView | null {
  const o = incident.hotline
  if (!o)
    return null
  return {
    orderNo: o.orderNo,
    incidentId: incident.id,
    version: incident.version,
    state: incident.state,
    open: !['closed', 'rejected', 'merged'].includes(incident.state),
    dueAt: o.dueAt ?? null,
    stageDeadline: incident.stageDeadline,
    replyText: o.replyText ?? null,
    repliedAt: o.repliedAt ?? null,
    requests: o.requests.map((r, index) => ({ index, kind: r.kind, reason: r.reason, days: r.days ?? null, at: r.at, status: r.status, answeredAt: r.answeredAt ?? null, answer: r.answer ?? null })),
    marks: o.marks.map(m => ({ kind: m.kind, at: m.at, note: m.note ?? null })),
    updatedAt: incident.updatedAt,
    closedAt: incident.closedAt,
  }
}
