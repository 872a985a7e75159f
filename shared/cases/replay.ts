import type { ActionKind, HistoryEntry, Incident, IncidentState } from '../incident/schema.ts'
import type { ParsedIncident } from './from-row.ts'

// An imported case goes into the store as the steps it went through, one commit per step (versions 1..n), like
// live traffic: the change log, the history and the statistics read it as they read any case. The last step
// carries the incident exactly as imported; the earlier ones carry it as it stood then (its state and time, the
// times of stages not reached yet cleared).

export interface Step { incident: Incident, entry: HistoryEntry }
export interface ReplayProblem { zh: string, en: string }

/** The action that leaves an incident in a state, for a case imported without its history. */
const ACTION_TO: Record<IncidentState, ActionKind> = {
  reported: 'report',
  accepted: 'accept',
  assigned: 'assign',
  handling: 'start',
  resolved: 'resolve',
  verified: 'verify',
  closed: 'close',
  rejected: 'reject',
  merged: 'merge',
}

const IMPORTER = { personId: 'import', role: 'system' }

/** Two steps for a case without history: its report, then (unless still reported) the step to where it is now. */
export function synthesiseHistory(inc: ParsedIncident): HistoryEntry[] {
  const report: HistoryEntry = { at: inc.reportedAt, action: 'report', actor: { personId: inc.reporterId ?? IMPORTER.personId, role: IMPORTER.role }, device: 'import', from: null, to: 'reported' }
  if (inc.state === 'reported')
    return [report]
  const at = inc.closedAt ?? inc.resolvedAt ?? inc.acceptedAt ?? (inc.updatedAt || inc.reportedAt)
  return [report, { at, action: ACTION_TO[inc.state], actor: IMPORTER, device: 'import', from: 'reported', to: inc.state, note: '导入：来源系统记录的状态 imported as the source system recorded it' }]
}

/** Whether a history can stand behind the incident: a report first, each step from where the last left it, in time. */
export function historyProblems(inc: Pick<Incident, 'state'>, history: HistoryEntry[]): ReplayProblem[] {
  const out: ReplayProblem[] = []
  if (history[0] && (history[0].from !== null || history[0].action !== 'report'))
    out.push({ zh: '第 1 步应为上报（原状态为空）', en: 'step 1 must be the report (no previous state)' })
  history.forEach((e, i) => {
    const prev = history[i - 1]
    if (!prev)
      return
    if (e.from !== prev.to)
      out.push({ zh: `第 ${i + 1} 步的原状态“${e.from ?? ''}”与上一步的新状态“${prev.to}”不符`, en: `step ${i + 1} starts from "${e.from ?? ''}" but step ${i} ended in "${prev.to}"` })
    if (e.at < prev.at)
      out.push({ zh: `第 ${i + 1} 步的时间早于上一步`, en: `step ${i + 1} is earlier than step ${i}` })
  })
  const last = history.at(-1)
  if (last && last.to !== inc.state)
    out.push({ zh: `最后一步的新状态“${last.to}”与事件状态“${inc.state}”不符`, en: `the last step ends in "${last.to}" but the incident is "${inc.state}"` })
  return out
}

/** The commits of one imported case, versions 1..n. */
export function stepsOf(final: Incident, history: HistoryEntry[]): Step[] {
  const n = history.length
  return history.map((entry, i) => {
    if (i === n - 1)
      return { incident: { ...final, version: n }, entry }
    const before = (t: string | null | undefined) => (t && t <= entry.at ? t : null)
    const incident: Incident = {
      ...final,
      version: i + 1,
      state: entry.to,
      updatedAt: entry.at,
      acceptedAt: before(final.acceptedAt),
      resolvedAt: before(final.resolvedAt),
      closedAt: before(final.closedAt),
      stageDeadline: null,
      satisfied: history.slice(0, i + 1).some(e => e.action === 'feedback') ? final.satisfied : null,
    }
    return { incident, entry }
  })
}
