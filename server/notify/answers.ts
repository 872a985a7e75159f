import type { Result } from '../../shared/kernel/result.ts'
import type { Delivery, Subject } from '../../shared/notify/schema.ts'
import type { Origin } from '../audit/service.ts'
import type { DeliveryBook } from './book.ts'
import type { NotifyDeps } from './service.ts'
import { noticePrincipal } from '../../shared/auth/authz.ts'
import { fail, succeed } from '../../shared/kernel/result.ts'
import { verifyLink } from './link.ts'
import { nationalNumber } from './sms.ts'

// A person answers a notice without the app (#17): one tap on the SMS link's 收到, or an SMS reply "1" from their
// own number. Both act as that person through the wartime service's acknowledgement (or the message's read
// receipt): authorised there as the assignee, audited there, the same path as the phone's 收到.

/** What the link page shows: the subject, whether it is still open. */
export interface LinkView { deliveryId: string, kind: Subject['kind'], title: string, text: string, open: boolean }

const REPLY_YES = new Set(['1', '１', '收到', '已收到', '收到了', 'ok', 'OK', 'y', 'Y'])
const isOpen = (state: string) => state === 'sent' || state === 'delivered'

export function createAnswers(deps: NotifyDeps, book: DeliveryBook, linkSecret: () => Promise<string>) {
  async function answer(d: Delivery, via: 'link' | 'sms', origin: Origin): Promise<Result<'acknowledged' | 'already'>> {
    const principal = noticePrincipal(deps.reference, d.personId, via)
    if (d.subject.kind === 'task') {
      const t = await deps.store.getEntity('task', d.subject.id)
      if (!t)
        return fail('not_found', 'the task no longer exists', 'token')
      if (!isOpen(t.state))
        return succeed('already')
      const r = await deps.wartime.taskStatus({ principal, origin }, t.id, { state: 'acknowledged', note: via === 'sms' ? '短信回复确认' : '短信链接确认' })
      if (!r.ok)
        return r
    }
    else {
      const m = await deps.store.getEntity('message', d.subject.id)
      const mine = m?.recipients.find(x => x.personId === d.personId)
      if (!m || !mine)
        return fail('not_found', 'the message no longer exists', 'token')
      if (mine.readAt)
        return succeed('already')
      await deps.messages.receipt(principal, m.id, 'read')
    }
    await book.settle(d.id, x => (x.status === 'acknowledged' ? null : { status: 'acknowledged', doneAt: deps.now().toISOString() }))
    return succeed('acknowledged')
  }

  async function view(token: string): Promise<Result<LinkView>> {
    const v = verifyLink(await linkSecret(), token, deps.now())
    if ('error' in v)
      return fail('not_found', v.error === 'expired' ? 'this link has expired' : 'this link is not valid', 'token')
    const d = book.byLinkKey(v.key)
    if (!d)
      return fail('not_found', 'this link is not valid', 'token')
    if (d.subject.kind === 'task') {
      const t = await deps.store.getEntity('task', d.subject.id)
      if (!t)
        return fail('not_found', 'the task no longer exists', 'token')
      return succeed({ deliveryId: d.id, kind: 'task', title: t.title, text: t.instructions, open: isOpen(t.state) })
    }
    const m = await deps.store.getEntity('message', d.subject.id)
    if (!m)
      return fail('not_found', 'the message no longer exists', 'token')
    return succeed({ deliveryId: d.id, kind: 'message', title: '指挥中心通知', text: m.text, open: !m.recipients.find(r => r.personId === d.personId)?.readAt })
  }

  return {
    view,
    /** One tap on the link's 收到 button (a POST: a link previewer's GET acknowledges nothing). */
    async acknowledgeLink(token: string, origin: Origin): Promise<Result<'acknowledged' | 'already'>> {
      const v = await view(token)
      return v.ok ? answer(book.get(v.data.deliveryId)!, 'link', origin) : v
    },
    /** An SMS "1" / "收到" from a person's own number: their latest open task, else their latest unread message. */
    async onReply(fromPhone: string, text: string): Promise<'acknowledged' | 'ignored'> {
      const number = nationalNumber(fromPhone)
      const who = deps.reference.org.people.find(p => p.phone && nationalNumber(p.phone) === number)
      if (!who || !REPLY_YES.has(text.trim()))
        return 'ignored'
      const open = (await deps.wartime.tasksOf(who.id)).filter(t => isOpen(t.state)).sort((a, b) => b.sentAt.localeCompare(a.sentAt))[0]
      const unread = open ? undefined : (await deps.store.listEntities('message')).filter(m => m.recipients.some(r => r.personId === who.id && !r.readAt)).sort((a, b) => b.sentAt.localeCompare(a.sentAt))[0]
      const subject: Subject | null = open ? { kind: 'task', id: open.id } : unread ? { kind: 'message', id: unread.id } : null
      if (!subject)
        return 'ignored'
      // The SMS it answers: the latest SMS rung for it (none, e.g. an old thread: the answer still counts).
      const sms = [...book.rows.values()].filter(d => d.subject.id === subject.id && d.personId === who.id && d.channel === 'sms').sort((a, b) => b.rung - a.rung)[0]
      const r = await answer(sms ?? book.newRow(subject, who.id, { index: 2, channel: 'sms' }, open?.operationId ?? null), 'sms', { via: 'internal', ip: null })
      return r.ok ? 'acknowledged' : 'ignored'
    },
  }
}
