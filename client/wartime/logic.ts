import type { OperationEvent, Plan, Task, Warning } from '../../shared/wartime/schema.ts'
import { hasArrived, isAcknowledged, isLive } from '../../shared/wartime/board.ts'

// The board's figures live in shared code: the wall and the prescribed reports (shared/inforeport/) count alike.
export { type Board, hasArrived, isAcknowledged, isLive, tally } from '../../shared/wartime/board.ts'

// The emergency operation's figures, the same on every screen, as pure functions of the held tasks, warnings,
// presence and `now`, so they are tested without a browser and never drift from the data (nothing here counts
// events as they pass).

/** Active warnings, newest first. */
export function activeWarnings(warnings: Iterable<Warning>): Warning[] {
  return [...warnings].filter(w => w.state === 'active').sort((a, b) => b.receivedAt.localeCompare(a.receivedAt))
}

/** The warning that proposes wartime (a real one before an exercise), or null. */
export function proposalOf(active: readonly Warning[]): Warning | null {
  return active.find(w => w.proposal && !w.exercise) ?? active.find(w => w.proposal) ?? null
}

/** The warning a header names: the newest real one, else the newest exercise. */
export function headlineWarning(active: readonly Warning[]): Warning | null {
  return active.find(w => !w.exercise) ?? active[0] ?? null
}

export interface TemplateRow { id: string, title: string, acknowledged: number, onScene: number, total: number }

/** The plan's checklist: each task template with how many of its tasks are acknowledged and on scene. */
export function checklist(plan: Plan, tasks: Iterable<Task>): TemplateRow[] {
  const rows = new Map<string, TemplateRow>(plan.templates.map(t => [t.id, { id: t.id, title: t.title, acknowledged: 0, onScene: 0, total: 0 }]))
  for (const t of tasks) {
    const row = rows.get(t.templateId)
    if (!row || !isLive(t))
      continue
    row.total++
    if (isAcknowledged(t))
      row.acknowledged++
    if (hasArrived(t))
      row.onScene++
  }
  return [...rows.values()]
}

/** Responders with an open task whose device is not connected (the server's heartbeat notices within 10 s). */
export function unreachable(tasks: Iterable<Task>, online: ReadonlySet<string>): Task[] {
  const seen = new Set<string>()
  const out: Task[] = []
  for (const t of tasks) {
    if (!isLive(t) || t.state === 'done' || online.has(t.assigneeId) || seen.has(t.assigneeId))
      continue
    seen.add(t.assigneeId)
    out.push(t)
  }
  return out.sort((a, b) => a.assigneeName.localeCompare(b.assigneeName, 'zh-CN'))
}

/** Escalated tasks still unacknowledged first, newest escalation first. */
export function escalations(tasks: Iterable<Task>): Task[] {
  return [...tasks]
    .filter(t => isLive(t) && t.escalatedTo.length > 0)
    .sort((a, b) => Number(isAcknowledged(a)) - Number(isAcknowledged(b)) || b.ackDeadline.localeCompare(a.ackDeadline))
}

export interface TimelineEntry { at: string, kind: string, text: string, escalatedTo?: string[] }

/**
 * The running timeline: the operation's own events plus each escalation, newest first, at most `limit`.
 * An escalation happens at the re-sent task's acknowledgement deadline, which is when we place it.
 */
export function timeline(events: readonly OperationEvent[], tasks: Iterable<Task>, limit: number): TimelineEntry[] {
  const entries: TimelineEntry[] = events.map(e => ({ at: e.at, kind: e.kind, text: e.text }))
  for (const t of tasks) {
    if (t.escalatedTo.length > 0)
      entries.push({ at: t.ackDeadline, kind: 'escalate', text: t.assigneeName, escalatedTo: t.escalatedTo })
  }
  return entries.sort((a, b) => b.at.localeCompare(a.at)).slice(0, limit)
}

/** `HH:MM:SS` (hours may pass 99) since `from`; 00:00:00 for a clock skewed into the future. */
export function elapsed(from: string, now: number): string {
  const s = Math.max(0, Math.floor((now - Date.parse(from)) / 1000))
  const pad = (n: number) => String(n).padStart(2, '0')
  return `${pad(Math.floor(s / 3600))}:${pad(Math.floor(s / 60) % 60)}:${pad(s % 60)}`
}

export type Coverage = 'covered' | 'pending' | 'none'

/** A risk point is covered once a responder is on scene in its grid; pending while its grid has open tasks. */
export function coverageByGrid(tasks: Iterable<Task>): Map<string, Coverage> {
  const out = new Map<string, Coverage>()
  for (const t of tasks) {
    if (!isLive(t) || t.gridId === null)
      continue
    if (hasArrived(t))
      out.set(t.gridId, 'covered')
    else if (!out.has(t.gridId))
      out.set(t.gridId, 'pending')
  }
  return out
}
