import type { Result } from '../../../shared/kernel/result.ts'
import type { ReferenceData } from '../../../shared/territory/types.ts'
import type { AfterActionReport, DeliveryRecord, ResourceMove } from '../../../shared/wartime/after-action.ts'
import type { Operation, PastOperation, Task } from '../../../shared/wartime/schema.ts'
import type { Audit, Call } from '../../audit/service.ts'
import type { Store } from '../../db/store.ts'
import { fail, succeed } from '../../../shared/kernel/result.ts'
import { vocabName } from '../../../shared/territory/types.ts'
import { afterAction } from '../../../shared/wartime/after-action.ts'
import { matchPlan } from '../../../shared/wartime/plans.ts'

export interface AfterActionDeps {
  store: Store
  audit: Audit
  reference: ReferenceData
  now: () => Date
  /** The notification ladder's deliveries of these tasks, when the install has the ladder. */
  deliveries?: (op: Operation, tasks: Task[]) => Promise<DeliveryRecord[]>
  /** The stock moves made while the operation ran, when the install records them. */
  moves?: (op: Operation) => Promise<ResourceMove[]>
}

export const reportPath = (id: string, ext: 'html' | 'xlsx') => `/api/operations/${encodeURIComponent(id)}/report.${ext}`

function pastOf(r: AfterActionReport): PastOperation {
  const f = r.figures
  return {
    id: r.operationId,
    exercise: r.exercise,
    reason: r.reason,
    declaredAt: r.declaredAt,
    endedAt: r.endedAt ?? r.declaredAt,
    planName: r.plan?.name ?? null,
    tasks: f.tasks,
    acknowledged: f.acknowledged,
    silent: f.silent.length,
    allAckedMinutes: f.allAckedMinutes,
    coverage: { acknowledged: f.coverage.acknowledged, total: f.coverage.total },
    html: reportPath(r.operationId, 'html'),
    xlsx: reportPath(r.operationId, 'xlsx'),
  }
}

/**
 * Every ended operation's after-action report (复盘报告), real or exercise: built from what the server recorded when
 * the operation ends (the wartime service's `onEnded`), kept, listed and downloaded by the command desk and leaders.
 */
export function createAfterActionService(deps: AfterActionDeps) {
  /** Builds and keeps the report of an ended operation; null when it is unknown or still active. */
  async function generate(operationId: string): Promise<AfterActionReport | null> {
    const op = await deps.store.getEntity('operation', operationId)
    if (!op || op.active)
      return null
    const [plan, tasks] = await Promise.all([
      op.planId ? deps.store.getEntity('plan', op.planId) : null,
      deps.store.listEntities('task').then(all => all.filter(t => t.operationId === op.id)),
    ])
    const ref = deps.reference
    // The grids each responder covered: their plan assignment (a worker may hold several grids).
    const assigned = plan ? new Map(matchPlan(plan, ref).map(a => [`${op.id}:${a.templateId}:${a.personId}`, a.gridIds])) : new Map<string, string[]>()
    // Resources are named by the package (the plan and the moves both carry resource kind ids).
    const kindName = (id: string) => vocabName(ref.facilities.resourceKinds, id)
    const report = afterAction({
      operation: op,
      plan: plan && { ...plan, resources: plan.resources.map(r => ({ ...r, kind: kindName(r.kind) })) },
      tasks,
      names: new Map(ref.org.people.map(p => [p.id, p.name])),
      gridNames: new Map(ref.territory.grids.map(g => [g.id, g.name])),
      taskGrids: new Map(tasks.filter(t => assigned.get(t.id)?.length).map(t => [t.id, assigned.get(t.id)!])),
      riskPoints: ref.facilities.riskPoints.map(r => ({ id: r.id, name: r.name, gridId: r.gridId })),
      deliveries: deps.deliveries ? await deps.deliveries(op, tasks) : undefined,
      moves: deps.moves ? (await deps.moves(op)).map(m => ({ ...m, item: kindName(m.item) })) : undefined,
    })
    await deps.store.afterAction.put({ operationId: op.id, createdAt: deps.now().toISOString(), report })
    return report
  }

  /** The kept report, or one built now for an operation that ended without one (a crash between end and report). */
  async function reportOf(operationId: string): Promise<AfterActionReport | null> {
    return (await deps.store.afterAction.get(operationId))?.report ?? generate(operationId)
  }

  return {
    generate,
    /** Past operations, the latest ended first, each with its report's key figures. */
    async list(call: Call): Promise<Result<PastOperation[]>> {
      const g = await deps.audit.guard(call, 'operation:report')
      if (!g.ok)
        return g
      const kept = new Set((await deps.store.afterAction.list()).map(r => r.operationId))
      for (const op of await deps.store.listEntities('operation')) {
        if (!op.active && !kept.has(op.id))
          await generate(op.id)
      }
      return succeed((await deps.store.afterAction.list()).map(r => pastOf(r.report)))
    },
    async report(call: Call, operationId: string): Promise<Result<AfterActionReport>> {
      const g = await deps.audit.guard(call, 'operation:report', operationId, { action: 'operation:report:download', recordAllow: true })
      if (!g.ok)
        return g
      const r = await reportOf(operationId)
      return r ? succeed(r) : fail('not_found', `operation ${operationId} has no report: it does not exist or has not ended`, 'id')
    },
  }
}

export type AfterActionService = ReturnType<typeof createAfterActionService>
