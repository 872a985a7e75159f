import type { Person } from '../../shared/territory/types.ts'
import type { Channel, Notice, SendOutcome } from './channel.ts'
import { dayOf } from '../../shared/kernel/time.ts'

// The SMS channel of the ladder (#17): one text per notice from a zh-CN template, to the person's `phone` from the
// reference data, at most `cap` a person per Asia/Shanghai day. A transport (SMPP or the HTTP gateway) carries it.

/** What a transport is handed: the text for SMPP, the template id and parameters for an HTTP gateway. */
export interface SmsOut { deliveryId: string, phone: string, text: string, templateId: SmsTemplateId, params: Record<string, string> }

export interface SmsTransport {
  /** Resolves with the gateway's message id once it took the message; rejects when it refused or is unreachable. */
  send: (m: SmsOut) => Promise<{ providerId: string }>
  close: () => Promise<void>
}

/** What a transport reports: a carrier's receipt (by the gateway's id) and a handset's reply. */
export interface SmsEvents {
  receipt: (providerId: string, status: 'delivered' | 'failed', detail?: string) => void
  reply: (fromPhone: string, text: string) => void
}

export type SmsTemplateId = 'task' | 'message' | 'escalation'

/** The templates, with the carrier's signature (签名) in front as carriers require: {title} {body} {link}. */
export const SMS_TEMPLATES: Record<SmsTemplateId, string> = {
  task: '【{sign}】{title}：{body}。点链接确认 {link} 或回复1',
  message: '【{sign}】{title}：{body} {link}',
  escalation: '【{sign}】{title}：{body}',
}

export function smsText(templateId: SmsTemplateId, params: Record<string, string>): string {
  return SMS_TEMPLATES[templateId].replace(/\{(\w+)\}/g, (_, k: string) => params[k] ?? '').trim()
}

export function templateOf(n: Notice): SmsTemplateId {
  if (!n.link)
    return 'escalation'
  return n.subject.kind === 'task' ? 'task' : 'message'
}

/** 138 0000 0001, +86 138…, 0086 138… → 13800000001: how a number is compared with the reference data's. */
export function nationalNumber(phone: string): string {
  const digits = phone.replace(/\D/g, '')
  return digits.replace(/^(?:0086|86)(?=1\d{10}$)/, '')
}

export interface SmsDeps {
  transport: SmsTransport
  person: (id: string) => Person | undefined
  now: () => Date
  /** SMS per person per day (Asia/Shanghai). */
  cap: number
  sign: string
  /** SMS already sent to this person on this day (from the store: the count survives a restart). */
  sentOn: (personId: string, day: string) => number
}

export function createSmsChannel(deps: SmsDeps): Channel & { sentToday: (personId: string) => number } {
  const counts = new Map<string, number>()
  const keyOf = (personId: string) => `${dayOf(deps.now())}|${personId}`
  const sentToday = (personId: string) => {
    const key = keyOf(personId)
    let n = counts.get(key)
    if (n === undefined) {
      n = deps.sentOn(personId, dayOf(deps.now()))
      counts.set(key, n)
    }
    return n
  }
  return {
    name: 'sms',
    sentToday,
    reaches: (personId) => {
      const p = deps.person(personId)
      return !!p?.phone && sentToday(personId) < deps.cap
    },
    async send(n: Notice): Promise<SendOutcome> {
      const p = deps.person(n.personId)
      if (!p?.phone)
        return { status: 'skipped', reason: 'no phone number' }
      if (sentToday(n.personId) >= deps.cap)
        return { status: 'skipped', reason: `daily SMS cap (${deps.cap}) reached` }
      const templateId = templateOf(n)
      const params = { sign: deps.sign, title: n.title, body: n.body, link: n.link ?? '' }
      // Counted before the send: a send that fails after the gateway took it must not let the cap be passed.
      counts.set(keyOf(n.personId), sentToday(n.personId) + 1)
      try {
        const { providerId } = await deps.transport.send({ deliveryId: n.deliveryId, phone: nationalNumber(p.phone), text: smsText(templateId, params), templateId, params })
        return { status: 'sent', providerId }
      }
      catch (e) {
        return { status: 'failed', error: e instanceof Error ? e.message : String(e) }
      }
    },
    close: () => deps.transport.close(),
  }
}
