import type { HotlineOp, HotlineOrderView } from '../../shared/hotline/schema.ts'
import type { Incident } from '../../shared/incident/schema.ts'
import type { Result } from '../../shared/kernel/result.ts'
import type { Audit } from '../audit/service.ts'
import type { Store } from '../db/store.ts'
import type { CallContext, IncidentService } from '../incident/service.ts'
import { authorizeHotlineKey } from '../../shared/auth/authz.ts'
import { orderView } from '../../shared/hotline/order.ts'
import { fail, succeed } from '../../shared/kernel/result.ts'

export interface HotlineServiceDeps {
  store: Store
  audit: Audit
  incidents: Pick<IncidentService, 'act'>
}

/**
 * The 12345 hotline's side of its orders (#16), addressed by order number: read one back, mark it 督办/催办, answer
 * the desk's extension or return request. Each change is the incident action `hotline`, done by the key in the
 * `integration` role through the incident service: the same history, change log, audit row and pushes as any step.
 */
export function createHotlineService(deps: HotlineServiceDeps) {
  /** The incident the caller's order became, if the caller is a key that sent it and may act on it. */
  async function find(orderNo: string, call: CallContext): Promise<Result<Incident>> {
    const p = call.principal
    const inc = p.kind === 'key' ? await deps.store.findHotlineOrder(p.id, orderNo) : null
    const decision = authorizeHotlineKey(p, inc ?? { reporterId: p.id, owner: { communityId: null } })
    if (!decision.allow) {
      await deps.audit.record(p, call.origin, { action: 'hotline:order', target: orderNo, result: 'deny', detail: decision.reason })
      return fail('forbidden', decision.reason, 'authorization')
    }
    return inc ? succeed(inc) : fail('not_found', `order ${orderNo} does not exist (or was sent with another key)`, 'orderNo')
  }

  async function perform(orderNo: string, op: HotlineOp, call: CallContext, check?: (inc: Incident) => Result<unknown> | null): Promise<Result<HotlineOrderView>> {
    const found = await find(orderNo, call)
    if (!found.ok)
      return found
    const refused = check?.(found.data)
    if (refused && !refused.ok)
      return refused
    const done = await deps.incidents.act(found.data.id, { action: 'hotline', hotline: op }, call, current => authorizeHotlineKey(call.principal, current))
    return done.ok ? { ...done, data: orderView(done.data)! } : done
  }

  return {
    async read(orderNo: string, call: CallContext): Promise<Result<HotlineOrderView>> {
      const found = await find(orderNo, call)
      return found.ok ? succeed(orderView(found.data)!) : found
    },
    /** 督办 (supervise) or 催办 (urge), with the hotline's note. */
    mark(orderNo: string, body: { kind: 'supervise' | 'urge', note?: string }, call: CallContext): Promise<Result<HotlineOrderView>> {
      return perform(orderNo, { op: 'mark', kind: body.kind, ...(body.note !== undefined ? { note: body.note } : {}) }, call)
    },
    /** Approves or refuses request `index` (an approved extension adds its days; an approved return rejects the incident). */
    answer(orderNo: string, index: number, body: { approved: boolean, answer?: string }, call: CallContext): Promise<Result<HotlineOrderView>> {
      const op: HotlineOp = { op: 'answer_request', index, approved: body.approved, ...(body.answer !== undefined ? { answer: body.answer } : {}) }
      return perform(orderNo, op, call, inc => inc.hotline?.requests[index] ? null : fail('not_found', `order ${orderNo} has no request ${index}`, 'index'))
    },
  }
}

export type HotlineService = ReturnType<typeof createHotlineService>
