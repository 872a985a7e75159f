import type { Principal } from '../../shared/auth/authz.ts'
import type { Result } from '../../shared/kernel/result.ts'
import type { ReferenceData } from '../../shared/territory/types.ts'
import type { WartimeMode } from '../../shared/wartime/routing.ts'
import type { Operation, OperationEvent, Plan, Task, TaskStatusBody, WartimeState } from '../../shared/wartime/schema.ts'
import type { Audit, Call } from '../audit/service.ts'
import type { Store } from '../db/store.ts'
import type { Limits } from '../kernel/rate-limit.ts'
import { randomBytes } from 'node:crypto'
import { authorizeTaskReport, SYSTEM_PRINCIPAL } from '../../shared/auth/authz.ts'
import { fail, succeed } from '../../shared/kernel/result.ts'
import { advanceTask, buildTasks, matchPlan, resendWindowMs, stepTask } from '../../shared/wartime/plans.ts'
import { INTERNAL } from '../audit/service.ts'
import { entity } from '../db/store.ts'
import { answerReplay, fingerprintOf, opKeyOf } from '../kernel/idempotency.ts'
import { KeyedLock } from '../kernel/keyed-lock.ts'
import { spend } from '../kernel/rate-limit.ts'
import { createReceiptWindow } from './receipts.ts'

export interface WartimeDeps {
  store: Store
  audit: Audit
  reference: ReferenceData
  now: () => Date
  online: () => string[]
  limits?: Pick<Limits, 'actions'>
  /**
   * How long a delivery receipt waits before it is written (default 25 ms): long enough for an acknowledgement sent
   * with it to fold it in, short against any re-send or escalation clock (minutes).
   */
  receiptWindowMs?: number
  /** Called once an operation has ended and its open tasks are cancelled (the after-action report); its failure is logged, never the end's. */
  onEnded?: (op: Operation) => Promise<void>
}
export interface WartimeCall extends Call { opKey?: string }

/**
 * Wartime (战时): declare and end (commander only), activate a plan (one transaction, a task per responder),
 * responders' acknowledgements, and the acknowledgement clock. Pushing tasks to phones follows the commit
 * (server/wartime/socket.ts), so a task on a phone is always a task on disk.
 */
export function createWartimeService(deps: WartimeDeps) {
  const lock = new KeyedLock()
  const rosterByGrid = new Map(deps.reference.org.rosters.map(r => [r.gridId, r]))

  const who = (p: Principal) => p.personId ?? p.id

  // The active operation is read on every incident action: keep it in memory, refreshed by committed changes.
  let activeOp: Operation | null | undefined
  deps.store.onCommit((changes) => {
    for (const c of changes) {
      if (c.kind === 'operation')
        activeOp = c.data.active ? c.data : activeOp?.id === c.data.id ? null : activeOp
    }
  })
  async function active(): Promise<Operation | null> {
    if (activeOp === undefined)
      activeOp = (await deps.store.listEntities('operation')).find(o => o.active) ?? null
    return activeOp
  }

  const receipts = createReceiptWindow({ store: deps.store, lock, now: deps.now, windowMs: deps.receiptWindowMs ?? 25 })

  async function plan(id: string): Promise<Plan | null> {
    return deps.store.getEntity('plan', id)
  }

  function withEvent(op: Operation, kind: string, text: string, by: string | null, at: string, patch: Partial<Operation> = {}): Operation {
    const event: OperationEvent = { at, kind, text, by }
    return { ...op, ...patch, version: op.version + 1, timeline: [...op.timeline, event].slice(-500), updatedAt: at }
  }

  return {
    active,
    /** While an operation is active: new reports go to the command center, clocks run at the plan's factor. */
    async mode(): Promise<WartimeMode | null> {
      const op = await active()
      const p = op?.planId ? await plan(op.planId) : null
      return op ? { operationId: op.id, deadlineFactor: p?.deadlineFactor ?? 1 } : null
    },
    plans: async () => (await deps.store.listEntities('plan')).filter(p => !p.retired),
    plan,

    /** What the wall and the leaders' view load: the operation, its plan and tasks, who is online, active warnings. */
    async state(): Promise<WartimeState> {
      const operation = await active()
      return {
        operation,
        plan: operation?.planId ? await plan(operation.planId) : null,
        tasks: operation ? await this.tasks(operation.id) : [],
        online: deps.online(),
        warnings: (await deps.store.listEntities('warning')).filter(w => w.state === 'active'),
      }
    },

    /** Creates or edits a plan (admin, commander); the new version is one change in the log. */
    async editPlan(call: WartimeCall, id: string, body: Omit<Plan, 'version' | 'updatedAt'>): Promise<Result<Plan>> {
      const g = await deps.audit.guard(call, 'plan:edit', id)
      if (!g.ok)
        return g
      if (body.id !== id)
        return fail('invalid', 'body id must match the URL', 'id')
      return lock.run(`plan:${id}`, async () => {
        const current = await plan(id)
        const at = deps.now().toISOString()
        const next: Plan = { ...body, version: (current?.version ?? 0) + 1, updatedAt: at }
        await deps.store.commit({ mutations: [entity('plan', next, current ? 'edit' : 'create', at)], audit: g.audit })
        return succeed(next, { created: !current })
      })
    },

    /** A responder's own tasks, of every operation. */
    async tasksOf(personId: string | null): Promise<Task[]> {
      return personId ? (await deps.store.listEntities('task')).filter(t => t.assigneeId === personId) : []
    },
    async tasks(operationId?: string): Promise<Task[]> {
      const id = operationId ?? (await active())?.id
      return id ? (await deps.store.listEntities('task')).filter(t => t.operationId === id) : []
    },

    async declare(call: WartimeCall, body: { reason: string, warningId?: string, planId?: string, exercise?: boolean }): Promise<Result<Operation>> {
      const g = await deps.audit.guard(call, 'wartime:declare', body.warningId ?? null)
      if (!g.ok)
        return g
      return lock.run('operation', async () => {
        if (await active())
          return fail('conflict', 'wartime is already declared: end it first', 'operation')
        if (body.planId && !(await plan(body.planId)))
          return fail('invalid', `plan ${body.planId} does not exist`, 'planId')
        const at = deps.now().toISOString()
        const op: Operation = {
          id: `op-${at.replace(/\D/g, '').slice(0, 12)}-${randomBytes(3).toString('hex')}`,
          version: 1,
          active: true,
          reason: body.reason,
          declaredAt: at,
          declaredBy: who(call.principal),
          warningId: body.warningId ?? null,
          planId: body.planId ?? null,
          activatedAt: null,
          endedAt: null,
          endedBy: null,
          taskCount: 0,
          exercise: body.exercise === true,
          timeline: [{ at, kind: 'declare', text: `宣布进入战时状态${body.exercise ? '（演练）' : ''}：${body.reason}`, by: who(call.principal) }],
          updatedAt: at,
        }
        await deps.store.commit({ mutations: [entity('operation', op, 'declare', at)], audit: g.audit })
        return succeed(op, { created: true })
      })
    },

    async end(call: WartimeCall, body: { reason: string }): Promise<Result<Operation>> {
      const g = await deps.audit.guard(call, 'wartime:end')
      if (!g.ok)
        return g
      return lock.run('operation', async () => {
        const op = await active()
        if (!op)
          return fail('conflict', 'no wartime operation is active', 'operation')
        const at = deps.now().toISOString()
        const ended = withEvent(op, 'end', `结束战时状态：${body.reason}`, who(call.principal), at, { active: false, endedAt: at, endedBy: who(call.principal) })
        await deps.store.commit({ mutations: [entity('operation', ended, 'end', at)], audit: { ...g.audit, target: op.id } })
        // Open tasks end with the operation, each under its own lock: a responder's last report may be in flight.
        for (const t of await this.tasks(op.id)) {
          await lock.run(`task:${t.id}`, async () => {
            const fresh = await deps.store.getEntity('task', t.id)
            if (fresh && fresh.state !== 'done' && fresh.state !== 'cancelled')
              await deps.store.commit({ mutations: [entity('task', { ...fresh, version: fresh.version + 1, state: 'cancelled' as const, updatedAt: at }, 'cancel', at)] })
          })
        }
        return succeed(ended)
      }).then(async (r) => {
        if (r.ok && deps.onEnded)
          await deps.onEnded(r.data).catch((e: unknown) => console.error('[wartime] the after-action report failed', e))
        return r
      })
    },

    /** One click: every matched responder gets a task, all in one durable transaction. */
    async activate(call: WartimeCall, body: { planId: string }): Promise<Result<Operation>> {
      const g = await deps.audit.guard(call, 'plan:activate', body.planId)
      if (!g.ok)
        return g
      return lock.run('operation', async () => {
        const op = await active()
        if (!op)
          return fail('conflict', 'declare wartime before activating a plan', 'operation')
        if (op.activatedAt)
          return fail('conflict', `plan ${op.planId} is already active in this operation`, 'planId')
        const p = await plan(body.planId)
        if (!p)
          return fail('invalid', `plan ${body.planId} does not exist`, 'planId')
        const now = deps.now()
        const at = now.toISOString()
        // An exercise's every task says so: on the phone, in a push, in an SMS to someone who was not told.
        const tasks = buildTasks(op.id, p, matchPlan(p, deps.reference), deps.reference, now)
          .map(t => (op.exercise ? { ...t, title: `【演练】${t.title}` } : t))
        const next = withEvent(op, 'activate', `启动${p.name}，向${tasks.length}名人员派发任务`, who(call.principal), at, { planId: p.id, activatedAt: at, taskCount: tasks.length })
        await deps.store.commit({ mutations: [entity('operation', next, 'activate', at), ...tasks.map(t => entity('task', t, 'send', at))], audit: g.audit })
        return succeed(next)
      })
    },

    /** A responder's own report: acknowledged, on scene, done. Only the assignee may. */
    async taskStatus(call: WartimeCall, id: string, body: TaskStatusBody): Promise<Result<Task>> {
      return lock.run(`task:${id}`, async () => {
        const fingerprint = fingerprintOf({ id, body })
        const key = opKeyOf(call)
        const prior = key ? await deps.store.getOp(key) : null
        if (prior)
          return answerReplay<Task>(prior, fingerprint)
        const limited = spend(deps.limits?.actions, call, 'task reports')
        if (limited)
          return limited
        const task = await deps.store.getEntity('task', id)
        if (!task)
          return fail('not_found', `task ${id} does not exist`, 'id')
        const may = authorizeTaskReport(call.principal, task.assigneeId)
        if (!may.allow) {
          await deps.audit.record(call.principal, call.origin, { action: `task:${body.state}`, target: id, result: 'deny', detail: may.reason })
          return fail('forbidden', may.reason, 'id')
        }
        // A receipt still waiting is folded in: this commit records it, at the time it came.
        const waiting = receipts.waiting(task.assigneeId, id)
        const received = waiting && task.deliveredAt === null ? { ...task, deliveredAt: waiting.at.toISOString() } : task
        const next = advanceTask(received, body.state, deps.now(), body.note)
        if (!next)
          return fail('conflict', `task is ${task.state}; it cannot go to ${body.state}`, 'state')
        await deps.store.commit({
          mutations: [entity('task', next, body.state, next.updatedAt)],
          opKey: key,
          fingerprint,
          audit: deps.audit.entry(call.principal, call.origin, { action: `task:${body.state}`, target: id, result: 'allow', role: may.role }),
          result: () => ({ status: 200, body: next }),
        })
        if (waiting)
          receipts.folded(waiting)
        return succeed(next)
      })
    },

    /**
     * Delivery receipt from the assignee's device. Idempotent; never moves a task backwards. Written after a short
     * window (see `receiptWindowMs`) unless an acknowledgement folds it in first; resolves once it is durable or folded.
     */
    received(principal: Principal, id: string): Promise<void> {
      return principal.personId ? receipts.add(principal.personId, id) : Promise.resolve()
    },

    /** Writes the receipts still waiting now (on close). */
    flushReceipts: receipts.flush,

    /** The acknowledgement clock: re-send, then escalate. Returns what it did. */
    async tick(): Promise<{ resent: number, escalated: number }> {
      const op = await active()
      if (!op?.planId)
        return { resent: 0, escalated: 0 }
      const p = await plan(op.planId)
      if (!p)
        return { resent: 0, escalated: 0 }
      const now = deps.now()
      let resent = 0
      let escalated = 0
      const supervisorsOf = (gridId: string | null) => {
        const r = gridId ? rosterByGrid.get(gridId) : undefined
        return r ? [r.instructorId, r.contactLeaderId] : []
      }
      for (const t of await this.tasks(op.id)) {
        await lock.run(`task:${t.id}`, async () => {
          const fresh = await deps.store.getEntity('task', t.id)
          const step = fresh && stepTask(fresh, now, { resendWindowMs: resendWindowMs(p, fresh.templateId), supervisorsOf })
          if (!step)
            return
          const audit = deps.audit.entry(SYSTEM_PRINCIPAL, INTERNAL, { action: `task:${step.kind}`, target: t.id, result: 'allow', role: 'system', detail: step.kind === 'escalate' ? `notify ${step.notify.join(',')}` : null })
          await deps.store.commit({ mutations: [entity('task', step.task, step.kind, step.task.updatedAt)], audit })
          if (step.kind === 'resend')
            resent++
          else
            escalated++
        })
      }
      return { resent, escalated }
    },
  }
}

export type WartimeService = ReturnType<typeof createWartimeService>
