import type { OperationEvent, Task } from '../../shared/wartime/schema.ts'
import type { Temper } from './behaviour.ts'
import type { ReachFigures } from './handsets.ts'
import type { TaskTrace } from './phones.ts'
import type { Group } from './plan.ts'
import { reachLines } from './handsets.ts'

// The drill's after-action figures, computed from what the phones saw and what the server recorded.

export type Outcome = 'acknowledged' | 'escalated' | 'lost'

/** One responder's task: relative times are ms after the click, on the drill's clock; ISO times are the server's. */
export interface ResponderRow {
  taskId: string
  personId: string
  name: string
  title: string
  gridName: string
  temper: Temper
  sentAt: string | null
  deliveredMs: number | null
  ackMs: number | null
  onSceneMs: number | null
  doneMs: number | null
  resentMs: number | null
  escalatedMs: number | null
  serverDeliveredAt: string | null
  serverAckAt: string | null
  serverOnSceneAt: string | null
  serverDoneAt: string | null
  resends: number
  escalatedTo: string[]
  /** The task's state just before wartime ended (open tasks are cancelled by the end). */
  finalState: string
  outcome: Outcome
  problem: string | null
}

export interface TimelineEntry { at: string, ms: number | null, source: 'operation' | 'drill', text: string }

export interface DrillFigures {
  tasks: number
  phones: number
  delivered: number
  /** Click → task on the phone. */
  delivery: { p50: number | null, p99: number | null, max: number | null }
  /** Click → the activation's durable commit answered. */
  activateMs: number | null
  /** Click → the last acknowledgement among those who answered. */
  allAnsweringAckedMs: number | null
  /** Those who answered the first push, before any re-send: how many, and click → the last of them. */
  firstRound: { acknowledged: number, lastMs: number | null }
  acknowledged: number
  onScene: number
  done: number
  resent: number
  escalated: number
  /** Escalations that reached a supervisor's phone in the drill. */
  escalationNotices: number
  neverAnswered: string[]
  lost: { name: string, taskId: string, why: string }[]
  durationMs: number
}

export interface DrillReport {
  ok: boolean
  url: string
  startedAt: string
  endedAt: string
  speed: number
  seed: string
  /** The CAP warning the drill sent; null when it ran a chosen plan (no warning). */
  warning: { id: string, identifier: string, headline: string } | null
  /** The chosen group of volunteers, if any. */
  group: Group | null
  proposal: { planId: string, planName: string } | null
  plan: { id: string, name: string }
  operationId: string | null
  endedBy: 'all-settled' | 'time-cap'
  figures: DrillFigures
  timeline: TimelineEntry[]
  rows: ResponderRow[]
  /** Faults: a refused or unanswered step, a task the plan did not name. Any fails the drill. */
  errors: string[]
  /** Worth knowing, not a fault: the time cap, a step that took a fallback. */
  notes: string[]
  files: { html: string, xlsx: string } | null
  /** The notification ladder (#17): which channel reached each task, the offline handsets' answers. */
  reach?: ReachFigures
}

/** Nearest-rank percentile of `values` (ms); null when empty. */
export function percentile(values: number[], q: number): number | null {
  if (values.length === 0)
    return null
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!
}

/** A task is accounted for when it reached the phone and was acknowledged, or its silence was escalated. */
export function outcomeOf(trace: TaskTrace | undefined, task: Task | undefined): { outcome: Outcome, problem: string | null } {
  if (!task)
    return { outcome: 'lost', problem: '服务器上没有这条任务' }
  const delivered = trace?.receivedAt != null && task.deliveredAt !== null
  if (delivered && task.ackAt !== null)
    return { outcome: 'acknowledged', problem: null }
  if (task.escalatedTo.length > 0)
    return { outcome: 'escalated', problem: null }
  if (!delivered)
    return { outcome: 'lost', problem: trace?.receivedAt == null ? '手机未收到任务且未升级' : '服务器未记录送达回执且未升级' }
  return { outcome: 'lost', problem: '已送达但未确认，也未升级' }
}

export interface RowInput {
  trace: TaskTrace | undefined
  task: Task | undefined
  taskId: string
  personId: string
  temper: Temper
  names: Map<string, string>
  gridNames: Map<string, string>
  click: number
}

export function responderRow(i: RowInput): ResponderRow {
  const rel = (v: number | null | undefined) => (v == null ? null : v - i.click)
  const { outcome, problem } = outcomeOf(i.trace, i.task)
  const t = i.task
  return {
    taskId: i.taskId,
    personId: i.personId,
    name: t?.assigneeName ?? i.names.get(i.personId) ?? i.personId,
    title: t?.title ?? '',
    gridName: t?.gridId ? (i.gridNames.get(t.gridId) ?? t.gridId) : '',
    temper: i.temper,
    sentAt: t?.sentAt ?? null,
    deliveredMs: rel(i.trace?.receivedAt),
    ackMs: rel(i.trace?.ackAt),
    onSceneMs: rel(i.trace?.onSceneAt),
    doneMs: rel(i.trace?.doneAt),
    resentMs: rel(i.trace?.resentAt),
    escalatedMs: rel(i.trace?.escalatedAt),
    serverDeliveredAt: t?.deliveredAt ?? null,
    serverAckAt: t?.ackAt ?? null,
    serverOnSceneAt: t?.onSceneAt ?? null,
    serverDoneAt: t?.doneAt ?? null,
    resends: t?.resends ?? 0,
    escalatedTo: (t?.escalatedTo ?? []).map(id => i.names.get(id) ?? (id === 'commander' ? '指挥长' : id)),
    finalState: t?.state ?? 'missing',
    outcome,
    problem,
  }
}

export function figures(rows: ResponderRow[], phones: number, extra: { activateMs: number | null, escalationNotices: number, durationMs: number }): DrillFigures {
  const delivered = rows.map(r => r.deliveredMs).filter((v): v is number => v !== null)
  const acked = rows.map(r => r.ackMs).filter((v): v is number => v !== null)
  const firstRound = rows.filter(r => r.resends === 0).map(r => r.ackMs).filter((v): v is number => v !== null)
  return {
    tasks: rows.length,
    phones,
    delivered: delivered.length,
    delivery: { p50: percentile(delivered, 0.5), p99: percentile(delivered, 0.99), max: percentile(delivered, 1) },
    activateMs: extra.activateMs,
    allAnsweringAckedMs: percentile(acked, 1),
    firstRound: { acknowledged: firstRound.length, lastMs: percentile(firstRound, 1) },
    acknowledged: rows.filter(r => r.serverAckAt !== null).length,
    onScene: rows.filter(r => r.serverOnSceneAt !== null).length,
    done: rows.filter(r => r.serverDoneAt !== null).length,
    resent: rows.filter(r => r.resends > 0).length,
    escalated: rows.filter(r => r.escalatedTo.length > 0).length,
    escalationNotices: extra.escalationNotices,
    neverAnswered: rows.filter(r => r.serverAckAt === null).map(r => r.name),
    lost: rows.filter(r => r.outcome === 'lost').map(r => ({ name: r.name, taskId: r.taskId, why: r.problem ?? '' })),
    durationMs: extra.durationMs,
  }
}

/** The operation's own timeline (declare, activate, end) merged with the drill's events, oldest first. */
export function mergeTimeline(op: OperationEvent[], drill: TimelineEntry[], clickAt: number | null): TimelineEntry[] {
  const fromOp = op.map(e => ({ at: e.at, ms: clickAt === null ? null : Date.parse(e.at) - clickAt, source: 'operation' as const, text: e.text }))
  return [...fromOp, ...drill].sort((a, b) => a.at.localeCompare(b.at) || (a.source === 'operation' ? -1 : 1))
}

/** Seconds with one decimal, or a dash. */
export const sec = (ms: number | null | undefined) => (ms == null ? '—' : (ms / 1000).toFixed(1))

/** The summary the script prints and the route keeps: Chinese, with numbers. */
export function summaryLines(r: DrillReport): string[] {
  const f = r.figures
  const minutes = (ms: number | null) => (ms == null ? '—' : ((ms * r.speed) / 60_000).toFixed(1))
  const lines = [
    `演练：${r.plan.name}（${r.speed}倍速，种子 ${r.seed}）`,
    r.warning ? `预警：${r.warning.headline}（${r.warning.identifier}）→ 建议：${r.proposal?.planName ?? '无'}` : `未经预警：以所选预案直接宣布战时状态（演练）${r.group ? `，分组：${r.group.name}` : ''}`,
    `任务 ${f.tasks} 条，手机 ${f.phones} 部；点击→提交完成 ${sec(f.activateMs)} 秒`,
    `点击→送达手机：${f.delivered}/${f.tasks}；p50 ${sec(f.delivery.p50)} 秒，p99 ${sec(f.delivery.p99)} 秒，最大 ${sec(f.delivery.max)} 秒`,
    `首轮（未重发）确认 ${f.firstRound.acknowledged} 人，用时 ${sec(f.firstRound.lastMs)} 秒（折合预案时间 ${minutes(f.firstRound.lastMs)} 分钟）`,
    `全部应答人员确认用时 ${sec(f.allAnsweringAckedMs)} 秒（折合预案时间 ${minutes(f.allAnsweringAckedMs)} 分钟）`,
    `已确认 ${f.acknowledged}，已到场 ${f.onScene}，已完成 ${f.done}`,
    `重发 ${f.resent} 条，升级 ${f.escalated} 条（升级通知送达督导手机 ${f.escalationNotices} 次）`,
    `始终未应答 ${f.neverAnswered.length} 人${f.neverAnswered.length ? `：${f.neverAnswered.join('、')}` : ''}`,
    f.lost.length === 0 ? '无任务遗漏：每条任务均已送达并确认，或已升级' : `遗漏 ${f.lost.length} 条：${f.lost.map(l => `${l.name}（${l.why}）`).join('；')}`,
    `演练用时 ${sec(f.durationMs)} 秒，结束方式：${r.endedBy === 'all-settled' ? '全部任务已了结' : '到达时间上限'}`,
    ...reachLines(r),
  ]
  if (r.notes.length)
    lines.push(`说明：${r.notes.join('；')}`)
  if (r.errors.length)
    lines.push(`错误 ${r.errors.length} 条：${r.errors.slice(0, 5).join('；')}`)
  return lines
}
