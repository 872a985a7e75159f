import type { Principal } from '../../shared/auth/authz.ts'
import type { ReferenceData } from '../../shared/territory/types.ts'
import type { Message, MessageBody } from '../../shared/wartime/schema.ts'
import type { Audit, Origin } from '../audit/service.ts'
import type { Store } from '../db/store.ts'
import type { ServiceResult } from '../incident/service.ts'
import { randomBytes } from 'node:crypto'
import { authorize } from '../../shared/auth/authz.ts'
import { KeyedLock } from '../kernel/keyed-lock.ts'
import { entity } from '../wartime/service.ts'

/** Who "all responders" and a selection reach: people in the street, not the command desk. */
export function recipientsOf(ref: ReferenceData, body: MessageBody): string[] {
  const out = new Set<string>()
  const rosters = ref.org.rosters
  const addRoster = (r: (typeof rosters)[number]) => {
    out.add(r.workerId)
    out.add(r.instructorId)
    out.add(r.contactLeaderId)
    r.liaisons.forEach(l => out.add(l.personId))
  }
  if (body.all) {
    rosters.forEach(addRoster)
    ref.org.people.filter(p => p.roles.includes('force_member') || p.roles.includes('community_staff')).forEach(p => out.add(p.id))
  }
  const communities = new Set(body.communityIds ?? [])
  const grids = new Set(body.gridIds ?? [])
  const gridCommunity = new Map(ref.territory.grids.map(g => [g.id, g.communityId]))
  for (const r of rosters) {
    if (grids.has(r.gridId) || communities.has(gridCommunity.get(r.gridId) ?? ''))
      addRoster(r)
  }
  ref.org.people.filter(p => p.communityId && communities.has(p.communityId) && p.roles.includes('community_staff')).forEach(p => out.add(p.id))
  const kinds = new Set(body.forceKinds ?? [])
  ref.org.people.filter(p => p.forceKind && kinds.has(p.forceKind)).forEach(p => out.add(p.id))
  return [...out].sort()
}

/** One-click reach (一键直达): a message to all responders or a selection, with a receipt per person. */
export function createMessageService(deps: { store: Store, audit: Audit, reference: ReferenceData, now: () => Date }) {
  const lock = new KeyedLock()
  return {
    list: () => deps.store.listEntities('message'),

    async send(call: { principal: Principal, origin: Origin }, body: MessageBody): Promise<ServiceResult<Message>> {
      const d = authorize(call.principal, 'message:send')
      if (!d.allow) {
        await deps.audit.record(call.principal, call.origin, { action: 'message:send', result: 'deny', detail: d.reason })
        return { ok: false, status: 403, error: 'Forbidden', message: d.reason, field: 'role' }
      }
      const recipients = recipientsOf(deps.reference, body)
      if (recipients.length === 0)
        return { ok: false, status: 400, error: 'Bad Request', message: 'the selection reaches nobody: set all, communityIds, gridIds or forceKinds', field: 'all' }
      const at = deps.now().toISOString()
      const message: Message = {
        id: `msg_${at.replace(/\D/g, '').slice(0, 14)}_${randomBytes(3).toString('hex')}`,
        version: 1,
        text: body.text,
        sentAt: at,
        sentBy: call.principal.personId ?? call.principal.id,
        audience: { all: body.all ?? false, communityIds: body.communityIds ?? [], gridIds: body.gridIds ?? [], forceKinds: body.forceKinds ?? [] },
        recipients: recipients.map(personId => ({ personId, deliveredAt: null, readAt: null })),
        updatedAt: at,
      }
      const audit = deps.audit.entry(call.principal, call.origin, { action: 'message:send', target: message.id, result: 'allow', role: d.role, detail: `${recipients.length} recipients` })
      await deps.store.commit({ mutations: [entity('message', message, 'send', at)], audit })
      return { ok: true, status: 201, data: message, replayed: false }
    },

    /** A recipient's device has the message (delivered) or its person opened it (read). Idempotent. */
    async receipt(principal: Principal, id: string, kind: 'delivered' | 'read'): Promise<void> {
      await lock.run(id, async () => {
        const m = await deps.store.getEntity('message', id)
        const i = m ? m.recipients.findIndex(r => r.personId === principal.personId) : -1
        if (!m || i < 0)
          return
        const r = m.recipients[i]!
        const at = deps.now().toISOString()
        const next = { ...r, deliveredAt: r.deliveredAt ?? at, readAt: kind === 'read' ? r.readAt ?? at : r.readAt }
        if (next.deliveredAt === r.deliveredAt && next.readAt === r.readAt)
          return
        const recipients = m.recipients.slice()
        recipients[i] = next
        await deps.store.commit({ mutations: [entity('message', { ...m, version: m.version + 1, recipients, updatedAt: at }, kind, at)] })
      })
    },
  }
}

export type MessageService = ReturnType<typeof createMessageService>
