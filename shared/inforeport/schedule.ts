import type { Operation } from '../wartime/schema.ts'
import type { InfoReportTimes } from './rules.ts'
import type { InfoReport, InfoReportKind } from './schema.ts'

// When each report is owed, as a pure function of the operation, its reports, the deadlines and `now`: the server's
// clock (server/inforeport/clock.ts) acts on what it answers, the wall and the desk show the same clocks.

const MIN = 60_000
const plus = (iso: string, minutes: number): string => new Date(Date.parse(iso) + minutes * MIN).toISOString()

export function reportId(operationId: string, kind: InfoReportKind, number = 0): string {
  return kind === 'follow_up' ? `${operationId}:follow_up:${number}` : `${operationId}:${kind}`
}

/** A report owed from now: due at `dueAt`, drafted `leadMinutes` before (a 终报 at once: the figures are final). */
export function openReport(operationId: string, kind: InfoReportKind, number: number, dueAt: string, times: InfoReportTimes, now: Date): InfoReport {
  const at = now.toISOString()
  const lead = plus(dueAt, -times.leadMinutes)
  return {
    id: reportId(operationId, kind, number),
    version: 1,
    operationId,
    kind,
    number,
    state: 'due',
    dueAt,
    draftAt: kind === 'final' || lead < at ? at : lead,
    overdueAt: null,
    fields: null,
    figures: null,
    text: null,
    draftedAt: null,
    editedBy: null,
    sentAt: null,
    sentVia: null,
    sentBy: null,
    nextDueAt: null,
    createdAt: at,
    updatedAt: at,
  }
}

export type ReportStep
  = | { kind: 'open', report: InfoReport }
    | { kind: 'draft' | 'overdue' | 'cancel', report: InfoReport }

const unsent = (r: InfoReport): boolean => r.state === 'due' || r.state === 'draft'

/** 初报 first, then 续报 by number, then 终报. */
export function inOrder(reports: Iterable<InfoReport>): InfoReport[] {
  const rank = (r: InfoReport) => r.kind === 'initial' ? -1 : r.kind === 'final' ? Number.MAX_SAFE_INTEGER : r.number
  return [...reports].sort((a, b) => rank(a) - rank(b))
}

/**
 * What the clock does now for one operation (its reports only): open the 初报 from the declaration; while the
 * operation runs, open the next 续报 once the latest report is sent (due at the `nextDueAt` it was sent with); once
 * it ended, open the 终报 and cancel 续报 never sent; draft what reached its draft time; mark what is past due.
 */
export function schedule(op: Operation, reports: readonly InfoReport[], times: InfoReportTimes, now: Date): ReportStep[] {
  const out: ReportStep[] = []
  const has = new Set(reports.map(r => r.id))
  const open = (kind: InfoReportKind, number: number, dueAt: string) => {
    if (has.has(reportId(op.id, kind, number)))
      return
    const report = openReport(op.id, kind, number, dueAt, times, now)
    out.push({ kind: 'open', report })
    // A 终报 (or a report owed at once) is drafted in the same run: its figures are final now.
    if (report.draftAt <= now.toISOString())
      out.push({ kind: 'draft', report })
  }
  open('initial', 0, plus(op.declaredAt, times.initialMinutes))
  const cancelled = new Set<string>()
  if (op.active) {
    const latest = inOrder(reports.filter(r => r.kind !== 'final')).at(-1)
    if (latest?.state === 'sent' && latest.nextDueAt)
      open('follow_up', latest.number + 1, latest.nextDueAt)
  }
  else if (op.endedAt) {
    open('final', 0, plus(op.endedAt, times.finalMinutes))
    for (const r of reports) {
      if (r.kind === 'follow_up' && unsent(r)) {
        out.push({ kind: 'cancel', report: r })
        cancelled.add(r.id)
      }
    }
  }
  const t = now.getTime()
  for (const r of reports) {
    if (cancelled.has(r.id))
      continue
    if (r.state === 'due' && t >= Date.parse(r.draftAt))
      out.push({ kind: 'draft', report: r })
    else if (unsent(r) && r.overdueAt === null && t >= Date.parse(r.dueAt))
      out.push({ kind: 'overdue', report: r })
  }
  return out
}

/** When the next 续报 is due after one sent at `sentAt`, or null (a 终报, or the operation has ended). */
export function nextDueAfter(report: InfoReport, op: Operation, sentAt: string, minutes: number): string | null {
  return report.kind === 'final' || !op.active ? null : plus(sentAt, minutes)
}

export type ClockState = 'waiting' | 'drafted' | 'overdue' | 'sent' | 'cancelled'

/** What the wall and the desk show for one report: time left (negative once overdue), or when it was sent. */
export function clockOf(r: InfoReport, now: number): { state: ClockState, leftMs: number } {
  const leftMs = Date.parse(r.dueAt) - now
  if (r.state === 'sent' || r.state === 'cancelled')
    return { state: r.state, leftMs }
  if (leftMs < 0)
    return { state: 'overdue', leftMs }
  return { state: r.state === 'draft' ? 'drafted' : 'waiting', leftMs }
}

/** `H:MM:SS` of a time left or overdue (its sign dropped): the wall's countdown. */
export function countdown(ms: number): string {
  const s = Math.floor(Math.abs(ms) / 1000)
  const pad = (n: number) => String(n).padStart(2, '0')
  return `${Math.floor(s / 3600)}:${pad(Math.floor(s / 60) % 60)}:${pad(s % 60)}`
}

/** 初报, 续报 2, 终报: how a report is named (zh-CN; the district's form is Chinese). */
export function reportName(r: Pick<InfoReport, 'kind' | 'number'>): string {
  return r.kind === 'initial' ? '初报' : r.kind === 'final' ? '终报' : `续报${r.number}`
}
