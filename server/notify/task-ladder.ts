import type { Rung } from '../../shared/notify/ladder.ts'
import type { Delivery, DeliveryStatus } from '../../shared/notify/schema.ts'
import type { Task } from '../../shared/wartime/schema.ts'
import type { KeyedLock } from '../kernel/keyed-lock.ts'
import type { createDeliveryBook } from './book.ts'
import type { Channel, SendOutcome } from './channel.ts'
import type { NotifyDeps } from './service.ts'
import { deliveryId, taskLadder, taskRungDue } from '../../shared/notify/ladder.ts'
import { resendWindowMs } from '../../shared/wartime/plans.ts'
import { sendSafely } from './book.ts'
import { escalationNotice, taskNotice } from './notices.ts'

const MINUTE = 60_000

export interface TaskLadderDeps {
  deps: NotifyDeps
  book: ReturnType<typeof createDeliveryBook>
  channels: Map<string, Channel>
  lock: KeyedLock
  /** Commits the row (with the task's re-send or escalation), then sends, then the outcome. */
  step: (row: Delivery, taskNext: { task: Task, action: string } | null, send: (() => Promise<SendOutcome>) | null) => Promise<DeliveryStatus>
  count: (s: DeliveryStatus) => void
  linkFor: (deliveryId: string) => Promise<string>
  lastResort: () => Promise<string[]>
  smartphone: (personId: string) => boolean
  log: (line: string) => void
}

/**
 * The rungs of open wartime tasks after the app (#17): re-send by push or SMS, the group robot, the grid's
 * supervisors, then the last resort; each step committed before its channel is called (see service.ts).
 */
export function createTaskLadder({ deps, book, channels, lock, step, count, linkFor, lastResort, smartphone, log }: TaskLadderDeps) {
  const rows = book.rows

  /** One rung of one task: to the assignee (push, SMS, robot) or to the supervisors / the last resort. */
  async function taskRung(t: Task, rung: Rung, resendMs: number): Promise<void> {
    await lock.run(`task:${t.id}`, async () => {
      const subject = { kind: 'task' as const, id: t.id }
      const id = deliveryId(subject, t.assigneeId, rung.index)
      const fresh = await deps.store.getEntity('task', t.id)
      if (!fresh || rows.has(id))
        return
      const escalatedAt = rows.get(deliveryId(subject, t.assigneeId, 4))?.queuedAt ?? null
      if (!taskRungDue(rung, fresh, deps.now().getTime(), { resendMs, escalatedAt }))
        return
      const row = book.newRow(subject, t.assigneeId, rung, t.operationId)
      const at = row.queuedAt
      let taskNext: { task: Task, action: string } | null = null
      if (rung.role === 'resend' && fresh.resends === 0)
        taskNext = { action: 'resend', task: { ...fresh, version: fresh.version + 1, resends: 1, ackDeadline: new Date(Date.parse(at) + resendMs).toISOString(), updatedAt: at } }
      if (rung.role === 'escalate' || rung.role === 'lastResort') {
        const told = await supervisorsFor(fresh, rung)
        row.to = told
        if (told.length === 0) {
          row.status = 'skipped'
          row.error = rung.role === 'lastResort' ? 'nobody left to tell' : 'no supervisor and no last resort'
        }
        // The wartime clock alone names 'commander' (a role, no person) when a grid has no supervisor: replaced here.
        const placeholder = fresh.escalatedTo.length === 0 || fresh.escalatedTo.includes('commander')
        const escalatedTo = rung.role === 'escalate' ? (placeholder ? told : null) : [...fresh.escalatedTo.filter(x => x !== 'commander'), ...told]
        if (escalatedTo && escalatedTo.length)
          taskNext = { action: 'escalate', task: { ...fresh, version: fresh.version + 1, escalatedTo, updatedAt: at } }
        count(await step(row, taskNext, () => tellSupervisors(fresh, row)))
        return
      }
      const ch = channels.get(rung.channel)
      if (!ch) {
        // Not installed here: the step belongs to this install's ladder only through the task's own re-send.
        if (taskNext)
          await step({ ...row, status: 'skipped', error: `no ${rung.channel} channel` }, taskNext, null)
        return
      }
      if (!(await ch.reaches(t.assigneeId))) {
        row.status = 'skipped'
        row.error = rung.channel === 'sms' ? 'no number or daily cap reached' : `not reachable by ${rung.channel}`
      }
      // The robot posts to a group (the grid's, the community's): whose task went unanswered, no link to answer by.
      const notice = rung.channel === 'robot'
        ? escalationNotice(fresh, row.id, t.assigneeId)
        : taskNotice(taskNext?.task ?? fresh, row.id, await linkFor(row.id), rung.role === 'resend')
      count(await step(row, taskNext, () => sendSafely(ch, notice)))
    })
  }

  /** The grid's instructor and contact leader (else the last resort); after them, the last resort not yet told. */
  async function supervisorsFor(t: Task, rung: Rung): Promise<string[]> {
    const already = new Set([t.assigneeId, ...t.escalatedTo, ...(rows.get(deliveryId({ kind: 'task', id: t.id }, t.assigneeId, 4))?.to ?? [])])
    if (rung.role === 'lastResort')
      return [...new Set(await lastResort())].filter(id => !already.has(id))
    if (t.escalatedTo.length && !t.escalatedTo.includes('commander'))
      return t.escalatedTo
    const r = t.gridId ? deps.reference.org.rosters.find(x => x.gridId === t.gridId) : undefined
    const sup = r ? [r.instructorId, r.contactLeaderId].filter(id => id !== t.assigneeId) : []
    return sup.length ? [...new Set(sup)] : [...new Set(await lastResort())].filter(id => id !== t.assigneeId)
  }

  /** The app tells them through `task:escalated`; beyond it, push where they subscribed, else SMS. */
  async function tellSupervisors(t: Task, row: Delivery): Promise<SendOutcome> {
    let sent = 0
    for (const personId of row.to) {
      const n = escalationNotice(t, `${row.id}>${personId}`, personId)
      for (const name of ['push', 'sms']) {
        const ch = channels.get(name)
        if (ch && await ch.reaches(personId) && (await sendSafely(ch, n)).status === 'sent') {
          sent++
          break
        }
      }
    }
    return sent ? { status: 'sent' } : { status: 'skipped', reason: 'told in the app only (no push or SMS reaches them)' }
  }

  async function tick(): Promise<void> {
    const op = await deps.wartime.active()
    const plan = op?.planId ? await deps.wartime.plan(op.planId) : null
    if (!op || !plan)
      return
    const now = deps.now().getTime()
    for (const t of await deps.wartime.tasks(op.id)) {
      if (t.state !== 'sent' && t.state !== 'delivered')
        continue
      const tpl = plan.templates.find(x => x.id === t.templateId)
      const resendMs = resendWindowMs(plan, t.templateId)
      const escalatedAt = rows.get(deliveryId({ kind: 'task', id: t.id }, t.assigneeId, 4))?.queuedAt ?? null
      for (const rung of taskLadder({ ackMs: (tpl?.ackMinutes ?? 2) * MINUTE, resendMs, smartphone: smartphone(t.assigneeId) }).slice(1)) {
        // Checked on the listed task first (cheap), then again on a fresh read under the task's lock.
        if (!rows.has(deliveryId({ kind: 'task', id: t.id }, t.assigneeId, rung.index)) && taskRungDue(rung, t, now, { resendMs, escalatedAt }))
          await taskRung(t, rung, resendMs).catch((e: unknown) => log(`task ${t.id} rung ${rung.index}: ${(e as Error).message}`))
      }
    }
  }

  return { tick }
}
