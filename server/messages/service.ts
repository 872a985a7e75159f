import type { Principal } from '../../shared/auth/authz.ts'
import type { Result } from '../../shared/kernel/result.ts'
import type { Message, MessageBody } from '../../shared/messages/schema.ts'
import type { ReferenceData } from '../../shared/territory/types.ts'
import type { Audit, Call } from '../audit/service.ts'
import type { Store } from '../db/store.ts'
import { randomBytes } from 'node:crypto'
import { authorize } from '../../shared/auth/authz.ts'
import { fail, succeed } from '../../shared/kernel/result.ts'
import { recipientsOf, unknownInSelection } from '../../shared/messages/audience.ts'
import { entity } from '../db/store.ts'
import { answerReplay, fingerprintOf, opKeyOf } from '../kernel/idempotency.ts'
import { KeyedLock } from '../kernel/keyed-lock.ts'

/** One-click reach (一键直达): a message to all responders or a selection, with a receipt per person. */
export function createMessageService(deps: { store: Store, audit: Audit, reference: ReferenceData, now: () => Date }) {
  const lock = new KeyedLock()
  return {
    /**
     * The messages a caller may read: the senders' desks and the read-only screens (wall, leaders) see every
     * message with its receipts; anyone else the messages sent to them.
     */
    async listFor(p: Principal): Promise<Message[]> {
      const all = await deps.store.listEntities('message')
      if (authorize(p, 'message:send').allow || authorize(p, 'message:read_all').allow)
        return all
      return all.filter(m => m.recipients.some(r => r.personId === p.personId))
    },

    /** Sends once per Idempotency-Key: a retry gets the stored message, not a second one to everybody. */
    async send(call: Call & { opKey?: string }, body: MessageBody): Promise<Result<Message>> {
      const g = await deps.audit.guard(call, 'message:send')
      if (!g.ok)
        return g
      const fingerprint = fingerprintOf(body)
      const key = opKeyOf(call)
      const prior = key ? await deps.store.getOp(key) : null
      if (prior)
        return answerReplay<Message>(prior, fingerprint)
      if (body.text.trim() === '')
        return fail('invalid', 'text is blank: write the message (a template only fills the box)', 'text')
      const plans = body.planIds?.length ? await deps.store.listEntities('plan') : []
      const unknown = unknownInSelection(deps.reference, body, plans)
      if (unknown)
        return fail('invalid', `${unknown.field} names ${unknown.id}, which does not exist`, unknown.field)
      const recipients = recipientsOf(deps.reference, body, plans)
      if (recipients.length === 0)
        return fail('invalid', 'the selection reaches nobody: set all, communityIds, gridIds, forceKinds or planIds', 'all')
      const at = deps.now().toISOString()
      const message: Message = {
        id: `msg_${at.replace(/\D/g, '').slice(0, 14)}_${randomBytes(3).toString('hex')}`,
        version: 1,
        text: body.text.trim(),
        sentAt: at,
        sentBy: call.principal.personId ?? call.principal.id,
        audience: { all: body.all ?? false, communityIds: body.communityIds ?? [], gridIds: body.gridIds ?? [], forceKinds: body.forceKinds ?? [], planIds: body.planIds ?? [] },
        recipients: recipients.map(personId => ({ personId, deliveredAt: null, readAt: null })),
        updatedAt: at,
      }
      const audit = { ...g.audit, target: message.id, detail: `${recipients.length} recipients` }
      await deps.store.commit({
        mutations: [entity('message', message, 'send', at)],
        audit,
        opKey: key,
        fingerprint,
        result: () => ({ status: 201, body: message }),
      })
      return succeed(message, { created: true })
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
