import type { Message } from '../../shared/messages/schema.ts'
import type { Rung } from '../../shared/notify/ladder.ts'
import type { Delivery, DeliveryStatus } from '../../shared/notify/schema.ts'
import type { ReferenceData } from '../../shared/territory/types.ts'
import type { Task } from '../../shared/wartime/schema.ts'
import type { Audit, Origin } from '../audit/service.ts'
import type { NotifyConfig } from '../config.ts'
import type { AuthStore } from '../db/auth-store.ts'
import type { Store } from '../db/store.ts'
import type { MessageService } from '../messages/service.ts'
import type { WartimeService } from '../wartime/service.ts'
import type { Channel, ChannelSink, SendOutcome } from './channel.ts'
import type { SmsEvents } from './sms.ts'
import { SYSTEM_PRINCIPAL } from '../../shared/auth/authz.ts'
import { dayOf } from '../../shared/kernel/time.ts'
import { deliveryId, messageLadder, messageRungDue } from '../../shared/notify/ladder.ts'
import { INTERNAL } from '../audit/service.ts'
import { newToken } from '../auth/tokens.ts'
import { entity } from '../db/store.ts'
import { KeyedLock } from '../kernel/keyed-lock.ts'
import { createAnswers } from './answers.ts'
import { createDeliveryBook, sendSafely } from './book.ts'
import { smsFromConfig } from './gateway.ts'
import { signLink } from './link.ts'
import { messageNotice } from './notices.ts'
import { createTaskLadder } from './task-ladder.ts'

export interface NotifyDeps {
  store: Store
  authStore: AuthStore
  audit: Audit
  reference: ReferenceData
  now: () => Date
  wartime: WartimeService
  messages: MessageService
  config: NotifyConfig
  /** Who is told when a grid has no supervisor, and after the supervisors too stay silent (default: commanders). */
  lastResort?: () => Promise<string[]> | string[]
  log?: (line: string) => void
}

/**
 * The notification ladder (#17): for each open wartime task and each unread message, the rungs after the app —
 * push, SMS, the group robot, the supervisors, the last resort — each when due (shared/notify/ladder.ts). Each
 * step is committed as a `delivery` row (queued) BEFORE its channel is called, and its outcome after: the row's
 * id is derived from (subject, person, rung), so a step commits once and is never sent twice, restarts included.
 * A row still queued at start (a crash mid-send) is marked failed, not sent again: at most once.
 */
export function createNotifyService(deps: NotifyDeps) {
  const log = deps.log ?? ((line: string) => console.warn(`notification ladder: ${line}`))
  const lock = new KeyedLock()
  const channels = new Map<string, Channel>()
  const book = createDeliveryBook({ store: deps.store, now: deps.now, log })
  const rows = book.rows
  let publicUrl = deps.config.publicUrl ?? 'http://localhost:3000'
  let secret: string | null = null
  let ready: Promise<void> | null = null

  // Unread messages climb the ladder for a while after they are sent; only recent ones are held.
  const recent = new Map<string, Message>()
  const messageHorizon = () => deps.now().getTime() - Math.max(deps.config.messageSmsAfterMs * 3, 3_600_000)
  deps.store.onCommit((changes) => {
    for (const c of changes) {
      if (c.kind === 'delivery')
        book.keep(c.data)
      else if (c.kind === 'message')
        recent.set(c.data.id, c.data)
    }
  })

  const person = (id: string) => deps.reference.org.people.find(p => p.id === id)
  const smartphone = (id: string) => person(id)?.smartphone !== false
  let lastResortOf = deps.lastResort ?? (() => deps.reference.org.people.filter(p => p.roles.includes('commander')).map(p => p.id))
  const lastResort = async () => [...await lastResortOf()]

  async function linkSecret(): Promise<string> {
    secret ??= await deps.authStore.getMeta('notice_link_secret')
    if (!secret) {
      secret = newToken(32)
      await deps.authStore.setMeta('notice_link_secret', secret)
    }
    return secret
  }

  /** Loads the rows and settles what a crash left queued: failed, never re-sent. */
  function init(): Promise<void> {
    ready ??= (async () => {
      await book.load()
      for (const m of await deps.store.listEntities('message')) {
        if (Date.parse(m.sentAt) >= messageHorizon())
          recent.set(m.id, m)
      }
    })()
    return ready
  }

  async function linkFor(id: string): Promise<string> {
    const token = signLink(await linkSecret(), id, new Date(deps.now().getTime() + deps.config.linkHours * 3_600_000))
    return `${publicUrl.replace(/\/$/, '')}/t/${token}`
  }

  /** Commits the row (with the task's re-send or escalation, if this rung makes one), then sends, then the outcome. */
  function step(row: Delivery, taskNext: { task: Task, action: string } | null, send: (() => Promise<SendOutcome>) | null): Promise<DeliveryStatus> {
    const also = taskNext ? [entity('task', taskNext.task, taskNext.action, row.queuedAt)] : []
    const audit = taskNext ? deps.audit.entry(SYSTEM_PRINCIPAL, INTERNAL, { action: `task:${taskNext.action}`, target: taskNext.task.id, result: 'allow', role: 'system', detail: `ladder rung ${row.rung} (${row.channel})${taskNext.task.escalatedTo.length ? ` notify ${taskNext.task.escalatedTo.join(',')}` : ''}` }) : undefined
    return book.step(row, also, audit, send)
  }

  const tally = { sent: 0, skipped: 0, failed: 0 }
  const count = (s: DeliveryStatus) => {
    if (s === 'sent')
      tally.sent++
    else if (s === 'skipped')
      tally.skipped++
    else if (s === 'failed')
      tally.failed++
  }

  const taskLadder = createTaskLadder({ deps, book, channels, lock, step, count, linkFor, lastResort, smartphone, log })

  async function messageRung(m: Message, personId: string, rung: Rung): Promise<void> {
    const ch = channels.get(rung.channel)
    if (!ch)
      return
    await lock.run(`message:${m.id}|${personId}`, async () => {
      const row = book.newRow({ kind: 'message', id: m.id }, personId, rung, null)
      if (rows.has(row.id))
        return
      if (!(await ch.reaches(personId))) {
        row.status = 'skipped'
        row.error = rung.channel === 'sms' ? 'no number or daily cap reached' : `not reachable by ${rung.channel}`
      }
      const n = messageNotice(m, personId, row.id, await linkFor(row.id))
      count(await step(row, null, () => sendSafely(ch, n)))
    })
  }

  async function messageTick(): Promise<void> {
    const now = deps.now().getTime()
    // Only recent messages climb the ladder: an old unread notice is not worth an SMS now.
    const horizon = messageHorizon()
    for (const m of [...recent.values()]) {
      if (Date.parse(m.sentAt) < horizon) {
        recent.delete(m.id)
        continue
      }
      for (const r of m.recipients) {
        for (const rung of messageLadder({ pushAfterMs: deps.config.messagePushAfterMs, smsAfterMs: deps.config.messageSmsAfterMs, smartphone: smartphone(r.personId) }).slice(1)) {
          if (!rows.has(deliveryId({ kind: 'message', id: m.id }, r.personId, rung.index)) && messageRungDue(rung, r, m.sentAt, now))
            await messageRung(m, r.personId, rung).catch((e: unknown) => log(`message ${m.id} rung ${rung.index}: ${(e as Error).message}`))
        }
      }
    }
  }

  const answers = createAnswers(deps, book, linkSecret)
  const sink: ChannelSink = {
    status: (id, status, detail) => void book.settle(id, d => (d.status === 'queued' || d.status === 'sent' ? { status, doneAt: deps.now().toISOString(), error: status === 'failed' ? detail ?? 'undeliverable' : d.error } : null)),
    reply: (fromPhone, text) => void init().then(() => answers.onReply(fromPhone, text)).catch((e: unknown) => log(`SMS reply not handled: ${(e as Error).message}`)),
  }

  const smsEvents: SmsEvents = {
    // A receipt can overtake the answer to its submit (both in one read from a busy SMSC): the id it names is
    // looked up again for a few seconds before the receipt is dropped.
    receipt: (providerId, status, detail) => {
      const attempt = (n: number) => {
        const id = book.byProvider('sms', providerId)
        if (id)
          sink.status(id, status, detail)
        else if (n < 20)
          setTimeout(attempt, 250, n + 1).unref()
      }
      attempt(0)
    },
    reply: sink.reply,
  }
  const sms = smsFromConfig(deps.config, {
    events: smsEvents,
    person,
    now: deps.now,
    log,
    sentOn: (personId, day) => [...rows.values()].filter(d => d.personId === personId && d.channel === 'sms' && d.sentAt && dayOf(d.sentAt) === day).length,
  })
  if (sms)
    channels.set('sms', sms)

  return {
    sink,
    smsEvents,
    /** Adds (or replaces) a channel: the push and robot channels are handed over here; tests add fakes. */
    use(ch: Channel) {
      channels.set(ch.name, ch)
    },
    channel: (name: string) => channels.get(name),
    /** The escalation target of last resort (the duty roster, when it is wired); default: the commanders. */
    useLastResort(f: () => Promise<string[]> | string[]) {
      lastResortOf = f
    },
    /** Where the links in SMS point (ONESCREEN_PUBLIC_URL; else set once the server listens). */
    setPublicUrl(url: string) {
      publicUrl = url
    },
    publicUrl: () => publicUrl,
    init,
    /** Climbs every ladder one step where due. Returns how many rungs it sent, skipped and failed. */
    async tick(): Promise<{ sent: number, skipped: number, failed: number }> {
      await init()
      tally.sent = tally.skipped = tally.failed = 0
      await taskLadder.tick()
      await messageTick()
      return { ...tally }
    },
    /** Every delivery, or those of one operation (the board) or one subject. */
    async list(filter: { operationId?: string, subjectId?: string } = {}): Promise<Delivery[]> {
      await init()
      return [...rows.values()].filter(d => (!filter.operationId || d.operationId === filter.operationId) && (!filter.subjectId || d.subject.id === filter.subjectId))
    },
    /** What the link's page shows; a failure for a forged, expired or unknown token. */
    async view(token: string) {
      await init()
      return answers.view(token)
    },
    /** One tap on the link's 收到 button (a POST: a link previewer's GET acknowledges nothing). */
    async acknowledgeLink(token: string, origin: Origin) {
      await init()
      return answers.acknowledgeLink(token, origin)
    },
    /** An SMS reply from a handset (what the SMS channel's sink calls). */
    async onReply(fromPhone: string, text: string) {
      await init()
      return answers.onReply(fromPhone, text)
    },
    async close() {
      for (const ch of channels.values())
        await ch.close?.().catch(() => {})
    },
  }
}

export type NotifyService = ReturnType<typeof createNotifyService>
