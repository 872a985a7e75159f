import type { Grid, ReferenceData } from '../territory/types.ts'
import type { Colour, Hazard, Plan, Task, TaskTemplate } from './schema.ts'

// Plans (预案) are data; this file turns a plan into who gets which task, and moves tasks along their clocks.

/** One responder's share of one template: the grids (and risk points there) it covers for them. */
export interface Assignment {
  templateId: string
  personId: string
  gridIds: string[]
  riskPointIds: string[]
}

const COLOUR_RANK: Record<Colour, number> = { blue: 1, yellow: 2, orange: 3, red: 4 }

/** The grids a template covers: those with any of its risk tags (all when none) in its communities (all when none). */
export function gridsFor(t: TaskTemplate, grids: Grid[]): Grid[] {
  return grids.filter(g =>
    (t.riskTags.length === 0 || g.riskTags.some(r => t.riskTags.includes(r)))
    && (t.communityIds.length === 0 || t.communityIds.includes(g.communityId)))
}

/** Everyone a plan reaches: one assignment per template and person, however many grids they cover. */
export function matchPlan(plan: Plan, ref: ReferenceData): Assignment[] {
  const out: Assignment[] = []
  for (const t of plan.templates) {
    const byPerson = new Map<string, Assignment>()
    const only = t.personIds?.length ? new Set(t.personIds) : null
    const add = (personId: string, grid: Grid | null) => {
      if (only && !only.has(personId))
        return
      let a = byPerson.get(personId)
      if (!a) {
        a = { templateId: t.id, personId, gridIds: [], riskPointIds: [] }
        byPerson.set(personId, a)
      }
      if (grid && !a.gridIds.includes(grid.id)) {
        a.gridIds.push(grid.id)
        for (const rp of ref.facilities.riskPoints) {
          if (rp.gridId === grid.id)
            a.riskPointIds.push(rp.id)
        }
      }
    }
    for (const g of gridsFor(t, ref.territory.grids)) {
      const roster = ref.org.rosters.find(r => r.gridId === g.id)
      if (!roster)
        continue
      if (t.rosterRoles.includes('worker'))
        add(roster.workerId, g)
      if (t.rosterRoles.includes('instructor'))
        add(roster.instructorId, g)
      if (t.rosterRoles.includes('contactLeader'))
        add(roster.contactLeaderId, g)
      for (const l of roster.liaisons) {
        if (t.forceKinds.includes(l.kind))
          add(l.personId, g)
      }
    }
    for (const p of ref.org.people) {
      if (p.roles.some(r => t.roles.includes(r)))
        add(p.id, null)
    }
    out.push(...byPerson.values())
  }
  return out
}

/** Plans a warning suggests, most severe level first. A person decides; this only proposes. */
export function suggestPlans(plans: Plan[], warning: { hazard: Hazard, colour: Colour }): Plan[] {
  return plans
    .filter(p => p.suggestedBy.hazards.includes(warning.hazard) && COLOUR_RANK[warning.colour] >= COLOUR_RANK[p.suggestedBy.minColour])
    .sort((a, b) => a.level - b.level || a.id.localeCompare(b.id))
}

const MINUTE = 60_000

/** The tasks an activation creates, all at `now`. Ids are derived, so activating twice cannot double them. */
export function buildTasks(operationId: string, plan: Plan, assignments: Assignment[], ref: ReferenceData, now: Date): Task[] {
  const at = now.toISOString()
  const names = new Map(ref.org.people.map(p => [p.id, p.name]))
  const gridNames = new Map(ref.territory.grids.map(g => [g.id, g.name]))
  return assignments.map((a) => {
    const t = plan.templates.find(x => x.id === a.templateId)!
    const where = a.gridIds.map(id => gridNames.get(id) ?? id)
    return {
      id: `${operationId}:${a.templateId}:${a.personId}`,
      version: 1,
      operationId,
      planId: plan.id,
      templateId: t.id,
      assigneeId: a.personId,
      assigneeName: names.get(a.personId) ?? a.personId,
      gridId: a.gridIds[0] ?? null,
      riskPointId: a.riskPointIds[0] ?? null,
      title: t.title,
      instructions: where.length ? `${t.instructions}（${where.slice(0, 4).join('、')}${where.length > 4 ? ` 等${where.length}个网格` : ''}）` : t.instructions,
      state: 'sent',
      sentAt: at,
      deliveredAt: null,
      ackAt: null,
      onSceneAt: null,
      doneAt: null,
      ackDeadline: new Date(now.getTime() + t.ackMinutes * MINUTE).toISOString(),
      arriveDeadline: new Date(now.getTime() + t.arriveMinutes * MINUTE).toISOString(),
      resends: 0,
      escalatedTo: [],
      note: null,
      updatedAt: at,
    }
  })
}

export type TaskStep = { kind: 'resend', task: Task } | { kind: 'escalate', task: Task, notify: string[] }

/** How long a re-sent task waits for acknowledgement before escalating: half the first window, at least 5 s. */
export function resendWindowMs(plan: Plan, templateId: string): number {
  const t = plan.templates.find(x => x.id === templateId)
  return Math.max(5_000, ((t?.ackMinutes ?? 2) * MINUTE) / 2)
}

/**
 * The acknowledgement clock: an unacknowledged task is re-sent at its deadline, then escalated to its grid's
 * instructor and contact leader when the re-send goes unanswered too. Pure: returns the next version or null.
 */
export function stepTask(task: Task, now: Date, ctx: { resendWindowMs: number, supervisorsOf: (gridId: string | null) => string[] }): TaskStep | null {
  if ((task.state !== 'sent' && task.state !== 'delivered') || now.getTime() < Date.parse(task.ackDeadline))
    return null
  const at = now.toISOString()
  if (task.resends === 0) {
    return { kind: 'resend', task: { ...task, version: task.version + 1, resends: 1, ackDeadline: new Date(now.getTime() + ctx.resendWindowMs).toISOString(), updatedAt: at } }
  }
  if (task.escalatedTo.length > 0)
    return null
  const notify = ctx.supervisorsOf(task.gridId).filter(id => id !== task.assigneeId)
  return { kind: 'escalate', task: { ...task, version: task.version + 1, escalatedTo: notify.length ? notify : ['commander'], updatedAt: at }, notify }
}

const ORDER: Task['state'][] = ['sent', 'delivered', 'acknowledged', 'on_scene', 'done']

/** A responder's report on their task: forward only (a late "received" never undoes "on scene"). */
export function advanceTask(task: Task, to: 'delivered' | 'acknowledged' | 'on_scene' | 'done', now: Date, note?: string): Task | null {
  if (task.state === 'cancelled' || ORDER.indexOf(to) <= ORDER.indexOf(task.state))
    return null
  const at = now.toISOString()
  const next: Task = { ...task, version: task.version + 1, state: to, updatedAt: at, note: note ?? task.note }
  // Reaching a later state implies the earlier ones happened now if they were not recorded.
  next.deliveredAt ??= at
  if (to !== 'delivered')
    next.ackAt ??= at
  if (to === 'on_scene' || to === 'done')
    next.onSceneAt ??= at
  if (to === 'done')
    next.doneAt = at
  return next
}
