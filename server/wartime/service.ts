import type { Principal } from '../../shared/auth/authz.ts'
import type { EntityKind, EntityOf } from '../../shared/sync/schema.ts'
import type { ReferenceData } from '../../shared/territory/types.ts'
import type { WartimeMode } from '../../shared/wartime/routing.ts'
import type { Operation, OperationEvent, Plan, Task, TaskStatusBody } from '../../shared/wartime/schema.ts'
import type { Audit, Origin } from '../audit/service.ts'
import type { AuditEntry } from '../db/auth-store.ts'
import type { EntityMutation, Store } from '../db/store.ts'
import type { ServiceResult } from '../incident/service.ts'
import { randomBytes } from 'node:crypto'
import { authorize, SYSTEM_PRINCIPAL } from '../../shared/auth/authz.ts'
import { advanceTask, buildTasks, matchPlan, resendWindowMs, stepTask } from '../../shared/wartime/plans.ts'
import { INTERNAL } from '../audit/service.ts'
import { KeyedLock } from '../kernel/keyed-lock.ts'

export interface WartimeDeps { store: Store, audit: Audit, reference: ReferenceData, now: () => Date }
export interface WartimeCall { principal: Principal, origin: Origin, opKey?: string }

type Err = Extract<ServiceResult<never>, { ok: false }>
const err = (status: number, message: string, field?: string): Err => ({ ok: false, status, error: ({ 400: 'Bad Request', 403: 'Forbidden', 404: 'Not Found', 409: 'Conflict' } as Record<number, string>)[status] ?? 'Error', message, field })
const ok = <T>(data: T, status = 200): ServiceResult<T> => ({ ok: true, status, data, replayed: false })

export function entity<K extends EntityKind>(entityKind: K, e: EntityOf<K>, action: string, at: string): EntityMutation<K> {
  return { kind: 'entity', entityKind, entity: e, action, at }
}

/**
 * Wartime (战时): declare and end (commander only), activate a plan (one transaction, a task per responder),
 * responders' acknowledgements, and the acknowledgement clock. Pushing tasks to phones follows the commit
 * (server/realtime/wartime.ts), so a task on a phone is always a task on disk.
 */
export function createWartimeService(deps: WartimeDeps) {
  const lock = new KeyedLock()
  const rosterByGrid = new Map(deps.reference.org.rosters.map(r => [r.gridId, r]))

  async function gate(call: WartimeCall, permission: Parameters<typeof authorize>[1], action: string, target: string | null): Promise<{ role: string, audit: AuditEntry } | Err> {
    const d = authorize(call.principal, permission)
    if (!d.allow) {
      await deps.audit.record(call.principal, call.origin, { action, target, result: 'deny', detail: d.reason })
      return err(403, d.reason, 'role')
    }
    return { role: d.role, audit: deps.audit.entry(call.principal, call.origin, { action, target, result: 'allow', role: d.role }) }
  }

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
    plans: () => deps.store.listEntities('plan'),
    plan,
    async tasks(operationId?: string): Promise<Task[]> {
      const id = operationId ?? (await active())?.id
      return id ? (await deps.store.listEntities('task')).filter(t => t.operationId === id) : []
    },

    async declare(call: WartimeCall, body: { reason: string, warningId?: string, planId?: string }): Promise<ServiceResult<Operation>> {
      const g = await gate(call, 'wartime:declare', 'wartime:declare', body.warningId ?? null)
      if ('ok' in g)
        return g
      return lock.run('operation', async () => {
        if (await active())
          return err(409, 'wartime is already declared: end it first', 'operation')
        if (body.planId && !(await plan(body.planId)))
          return err(400, `plan ${body.planId} does not exist`, 'planId')
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
          timeline: [{ at, kind: 'declare', text: `宣布进入战时状态：${body.reason}`, by: who(call.principal) }],
          updatedAt: at,
        }
        await deps.store.commit({ mutations: [entity('operation', op, 'declare', at)], audit: g.audit })
        return ok(op, 201)
      })
    },

    async end(call: WartimeCall, body: { reason: string }): Promise<ServiceResult<Operation>> {
      const g = await gate(call, 'wartime:end', 'wartime:end', null)
      if ('ok' in g)
        return g
      return lock.run('operation', async () => {
        const op = await active()
        if (!op)
          return err(409, 'no wartime operation is active', 'operation')
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
        return ok(ended)
      })
    },

    /** One click: every matched responder gets a task, all in one durable transaction. */
    async activate(call: WartimeCall, body: { planId: string }): Promise<ServiceResult<Operation>> {
      const g = await gate(call, 'plan:activate', 'plan:activate', body.planId)
      if ('ok' in g)
        return g
      return lock.run('operation', async () => {
        const op = await active()
        if (!op)
          return err(409, 'declare wartime before activating a plan', 'operation')
        if (op.activatedAt)
          return err(409, `plan ${op.planId} is already active in this operation`, 'planId')
        const p = await plan(body.planId)
        if (!p)
          return err(400, `plan ${body.planId} does not exist`, 'planId')
        const now = deps.now()
        const at = now.toISOString()
        const tasks = buildTasks(op.id, p, matchPlan(p, deps.reference), deps.reference, now)
        const next = withEvent(op, 'activate', `启动${p.name}，向${tasks.length}名人员派发任务`, who(call.principal), at, { planId: p.id, activatedAt: at, taskCount: tasks.length })
        await deps.store.commit({ mutations: [entity('operation', next, 'activate', at), ...tasks.map(t => entity('task', t, 'send', at))], audit: g.audit })
        return ok(next)
      })
    },

    /** A responder's own report: acknowledged, on scene, done. Only the assignee may. */
    async taskStatus(call: WartimeCall, id: string, body: TaskStatusBody): Promise<ServiceResult<Task>> {
      return lock.run(`task:${id}`, async () => {
        if (call.opKey) {
          const prior = await deps.store.getOp(call.opKey)
          if (prior)
            return { ok: true, status: prior.status, data: prior.body as Task, replayed: true }
        }
        const task = await deps.store.getEntity('task', id)
        if (!task)
          return err(404, `task ${id} does not exist`, 'id')
        if (call.principal.personId !== task.assigneeId || call.principal.kind === 'share') {
          await deps.audit.record(call.principal, call.origin, { action: `task:${body.state}`, target: id, result: 'deny', detail: 'not the assignee' })
          return err(403, 'only the assignee reports on a task', 'id')
        }
        const next = advanceTask(task, body.state, deps.now(), body.note)
        if (!next)
          return err(409, `task is ${task.state}; it cannot go to ${body.state}`, 'state')
        await deps.store.commit({
          mutations: [entity('task', next, body.state, next.updatedAt)],
          opKey: call.opKey,
          audit: deps.audit.entry(call.principal, call.origin, { action: `task:${body.state}`, target: id, result: 'allow', role: call.principal.roles[0] ?? null }),
          result: () => ({ status: 200, body: next }),
        })
        return ok(next)
      })
    },

    /** Delivery receipt from the assignee's device. Idempotent; never moves a task backwards. */
    async received(principal: Principal, id: string): Promise<void> {
      await lock.run(`task:${id}`, async () => {
        const task = await deps.store.getEntity('task', id)
        if (!task || task.assigneeId !== principal.personId)
          return
        const next = advanceTask(task, 'delivered', deps.now())
        if (next)
          await deps.store.commit({ mutations: [entity('task', next, 'delivered', next.updatedAt)] })
      })
    },

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
