import type { ActionBody, Actor, Incident } from '../../../shared/incident/schema.ts'
import type { Catalog } from '../../../shared/organisation/catalog.ts'
import type { Rng } from '../../kernel/random.ts'
import type { Staff } from './staff.ts'
import { categoryByCode } from '../../../shared/organisation/catalog.ts'
import { assignmentFor, communityActor, feedbackActor, handlerActor, ownerActor, postPerson } from './staff.ts'

// The next human step for an incident, shared by the back-fill and the live simulator so both tell the same
// story: accept → assign → start → resolve → verify → feedback, with the occasional rejection, transfer,
// failed verification and unsatisfied resident. Escalation is never planned here: the clock does it.

export interface Step { body: ActionBody, actor: Actor }

export interface StepOptions {
  /** An earlier open report of the same kind at the same place, if the caller knows one (merge target). */
  duplicateOf?: string
}

const RESOLVE_NOTES = ['已到场处置完毕，现场已恢复', '已协调相关方处理，问题已解决', '已约谈当事人并整改到位', '已联系责任单位完成维修', '已上门沟通，诉求已落实']
const RETURN_NOTES = ['现场核查未整改到位，退回继续处置', '核查发现问题反复，请继续跟进']
const REPLIES = ['您反映的问题已处理完毕，工作人员已到现场核实整改到位，感谢您的监督。', '经核实，问题已协调相关单位解决，已电话回复来电人。']
const TRANSFER_NOTES = ['涉及其他岗位职责，转协办岗位处理', '经研判需协办岗位牵头，转办']

export function nextStep(incident: Incident, staff: Staff, catalog: Catalog, rng: Rng, opts: StepOptions = {}): Step | null {
  const first = incident.escalations === 0 && incident.reopenCount === 0
  switch (incident.state) {
    case 'reported': {
      if (first && opts.duplicateOf && rng.chance(0.5))
        return { body: { action: 'merge', mergeInto: opts.duplicateOf, note: '与已上报事件重复，合并处理' }, actor: ownerActor(staff, incident, rng) }
      if (first && rng.chance(0.03)) {
        const actor = incident.owner.loop === 'subdistrict' ? ownerActor(staff, incident, rng) : communityActor(staff, incident, rng)
        return { body: { action: 'reject', note: rng.pick(['不属于受理范围，已告知群众相关渠道', '经核实情况不属实', '已通过司法途径处理，不予受理']) }, actor }
      }
      return { body: { action: 'accept' }, actor: ownerActor(staff, incident, rng) }
    }
    case 'accepted': {
      const target = assignmentFor(staff, incident, rng)
      if (!target)
        return null
      return { body: { action: 'assign', ...target }, actor: ownerActor(staff, incident, rng) }
    }
    case 'assigned': {
      const transfer = first && rng.chance(0.04) ? helperTransfer(incident, staff, catalog, rng) : null
      return transfer ?? { body: { action: 'start' }, actor: handlerActor(staff, incident, rng) }
    }
    case 'handling':
      return { body: { action: 'resolve', note: rng.pick(RESOLVE_NOTES) }, actor: handlerActor(staff, incident, rng) }
    case 'resolved':
      if (first && rng.chance(0.02))
        return { body: { action: 'return', note: rng.pick(RETURN_NOTES) }, actor: ownerActor(staff, incident, rng) }
      return { body: { action: 'verify' }, actor: ownerActor(staff, incident, rng) }
    case 'verified': {
      // A 12345 case is answered before it is closed (shared/hotline/order.ts): the desk writes the reply first.
      if (incident.hotline && !incident.hotline.replyText)
        return { body: { action: 'hotline', hotline: { op: 'reply', text: rng.pick(REPLIES) } }, actor: feedbackActor(staff, incident, rng) }
      const satisfied = !(first && rng.chance(0.04))
      const note = satisfied ? '回访群众，表示满意' : '回访群众，表示不满意，要求继续处理'
      return { body: { action: 'feedback', satisfied, note }, actor: feedbackActor(staff, incident, rng) }
    }
    default:
      return null
  }
}

/** A post hands a cross-sector job to one of its helper posts (跨板块事项: lead plus helpers). */
function helperTransfer(incident: Incident, staff: Staff, catalog: Catalog, rng: Rng): Step | null {
  const r = categoryByCode(catalog, incident.category)?.responsibility
  if (r?.type !== 'cross' || r.helpers.length === 0 || incident.owner.postId !== r.lead.postId)
    return null
  const helper = rng.pick(r.helpers)
  const person = postPerson(staff, helper.postId, rng)
  if (!person)
    return null
  return { body: { action: 'transfer', postId: helper.postId, assigneeId: person.id, note: rng.pick(TRANSFER_NOTES) }, actor: handlerActor(staff, incident, rng) }
}
