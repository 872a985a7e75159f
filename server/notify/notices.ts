import type { Message } from '../../shared/messages/schema.ts'
import type { Task } from '../../shared/wartime/schema.ts'
import type { Notice } from './channel.ts'
import { localParts } from '../../shared/kernel/time.ts'

// What a rung says, zh-CN and short: an SMS of one or two segments with its link.

function hhmm(iso: string) {
  const p = localParts(iso)
  return `${String(p.hour).padStart(2, '0')}:${String(p.minute).padStart(2, '0')}`
}
const clip = (s: string, n: number) => ([...s].length > n ? `${[...s].slice(0, n - 1).join('')}…` : s)

export function taskNotice(t: Task, deliveryId: string, link: string | null, resend: boolean): Notice {
  const body = resend ? `尚未确认，请于${hhmm(t.ackDeadline)}前确认` : `请于${hhmm(t.ackDeadline)}前确认`
  return { deliveryId, personId: t.assigneeId, subject: { kind: 'task', id: t.id }, title: clip(t.title, 12), body, link, ack: true }
}

/** To a supervisor (or the last resort): whose task went unanswered. No link: it is not theirs to acknowledge. */
export function escalationNotice(t: Task, deliveryId: string, personId: string): Notice {
  return { deliveryId, personId, subject: { kind: 'task', id: t.id }, title: '任务未确认', body: `${clip(t.assigneeName, 6)}未确认“${clip(t.title, 12)}”，请督促`, link: null, ack: false }
}

export function messageNotice(m: Message, personId: string, deliveryId: string, link: string | null): Notice {
  return { deliveryId, personId, subject: { kind: 'message', id: m.id }, title: '指挥中心通知', body: clip(m.text, 30), link, ack: true }
}
