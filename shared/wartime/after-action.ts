import type { Operation, Plan, Task } from './schema.ts'

// The after-action report (复盘报告) of an operation, real or exercise: pure figures from what the server
// recorded — the operation's timeline, its tasks and, when the install has them, the notification ladder's
// deliveries and the depots' stock moves. The server renders it as HTML and XLSX (server/wartime/after-action/).

/** One rung of the notification ladder for one task (the ladder's `delivery` entities, mapped by the caller). */
export interface DeliveryRecord {
  taskId: string
  personId: string
  /** app, push, sms, robot, supervisor … */
  channel: string
  /** sent, delivered, failed, skipped … */
  status: string
  at: string
}

/** One stock move during the operation (issue, return, check-in, check-out), mapped by the caller. */
export interface ResourceMove {
  at: string
  /** issue, return, … */
  kind: string
  /** What moved: the resource kind's label (抽水泵, 沙袋) or id. */
  item: string
  qty: number
  /** Where from or to (a depot, a shelter); empty when unknown. */
  place: string
}

export interface AfterActionInput {
  operation: Operation
  plan: Pick<Plan, 'id' | 'name' | 'resources'> | null
  tasks: Task[]
  /** Person id → name (for escalation targets; a task carries its assignee's name). */
  names: ReadonlyMap<string, string>
  gridNames: ReadonlyMap<string, string>
  /** The grids each task covers (its plan assignment); absent for a task: its own grid. */
  taskGrids?: ReadonlyMap<string, string[]>
  /** Every risk point of the subdistrict. */
  riskPoints: { id: string, name: string, gridId: string }[]
  deliveries?: DeliveryRecord[]
  moves?: ResourceMove[]
}

export type Reached = 'sent' | 'delivered' | 'acknowledged' | 'on_scene' | 'done'

export interface ResponderLine {
  taskId: string
  personId: string
  name: string
  title: string
  grid: string
  sentAt: string
  deliveredAt: string | null
  ackAt: string | null
  onSceneAt: string | null
  doneAt: string | null
  /** Minutes from sent to acknowledged / on scene, one decimal; null when it did not happen. */
  ackMinutes: number | null
  onSceneMinutes: number | null
  resends: number
  escalatedTo: string[]
  /** The furthest the task got (an open task is cancelled by the end: this says how far it had come). */
  reached: Reached
  /** Channels the ladder used for this task, in order (empty without the ladder). */
  channels: string[]
}

/** A moment of the operation: when and, for a responder's step, who. */
export interface Moment { at: string, name: string | null }

export interface CoverageFigure { total: number, acknowledged: number, onScene: number, uncovered: string[] }

export interface AfterActionFigures {
  tasks: number
  people: number
  delivered: number
  acknowledged: number
  onScene: number
  done: number
  firstAck: Moment | null
  /** When the last task was acknowledged, if every task was; null otherwise. */
  allAcked: Moment | null
  firstOnScene: Moment | null
  allOnScene: Moment | null
  /** Minutes from activation to all acknowledged / all on scene, one decimal. */
  allAckedMinutes: number | null
  allOnSceneMinutes: number | null
  /** People who acknowledged none of their tasks, by name. */
  silent: string[]
  /** Tasks re-sent, and re-sends in all. */
  resentTasks: number
  resends: number
  escalated: number
  /** Risk points in grids covered by an acknowledged / on-scene task, of those in the grids the tasks cover. */
  coverage: CoverageFigure
  /** Per channel: how many notices were sent and how many arrived (the ladder; empty without it). */
  channels: { channel: string, sent: number, delivered: number, failed: number }[]
  durationMinutes: number | null
}

export interface TimelineLine { at: string, kind: string, text: string }

export interface ResourceLine { item: string, planned: number | null, issued: number, returned: number, note: string }

export interface AfterActionReport {
  operationId: string
  exercise: boolean
  reason: string
  declaredAt: string
  activatedAt: string | null
  endedAt: string | null
  plan: { id: string, name: string } | null
  figures: AfterActionFigures
  timeline: TimelineLine[]
  responders: ResponderLine[]
  resources: ResourceLine[]
  moves: ResourceMove[]
}

const minutesBetween = (from: string | null, to: string | null) => (from && to ? Math.round((Date.parse(to) - Date.parse(from)) / 6_000) / 10 : null)
const byTime = <T extends { at: string }>(a: T, b: T) => a.at.localeCompare(b.at)

function reachedOf(t: Task): Reached {
  return t.doneAt ? 'done' : t.onSceneAt ? 'on_scene' : t.ackAt ? 'acknowledged' : t.deliveredAt ? 'delivered' : 'sent'
}

/** The earliest and, when every task has it, the latest of one of a task's times. */
function firstAndAll(tasks: Task[], f: (t: Task) => string | null): { first: Moment | null, all: Moment | null } {
  const done = tasks.filter(t => f(t) !== null).sort((a, b) => f(a)!.localeCompare(f(b)!))
  const moment = (t: Task | undefined) => (t ? { at: f(t)!, name: t.assigneeName } : null)
  return { first: moment(done[0]), all: done.length === tasks.length ? moment(done.at(-1)) : null }
}

function coverage(input: AfterActionInput): CoverageFigure {
  const gridsOf = (t: Task) => input.taskGrids?.get(t.id) ?? (t.gridId ? [t.gridId] : [])
  const covered = (pick: (t: Task) => boolean) => new Set(input.tasks.filter(pick).flatMap(gridsOf))
  const all = covered(() => true)
  const points = input.riskPoints.filter(r => all.has(r.gridId))
  const acked = covered(t => t.ackAt !== null)
  const onScene = covered(t => t.onSceneAt !== null)
  return {
    total: points.length,
    acknowledged: points.filter(r => acked.has(r.gridId)).length,
    onScene: points.filter(r => onScene.has(r.gridId)).length,
    uncovered: points.filter(r => !acked.has(r.gridId)).map(r => r.name),
  }
}

function channels(deliveries: DeliveryRecord[]): AfterActionFigures['channels'] {
  const out = new Map<string, { channel: string, sent: number, delivered: number, failed: number }>()
  for (const d of deliveries) {
    const c = out.get(d.channel) ?? { channel: d.channel, sent: 0, delivered: 0, failed: 0 }
    out.set(d.channel, c)
    if (d.status !== 'skipped')
      c.sent++
    if (d.status === 'delivered')
      c.delivered++
    if (d.status === 'failed')
      c.failed++
  }
  return [...out.values()]
}

function resources(plan: AfterActionInput['plan'], moves: ResourceMove[]): ResourceLine[] {
  const lines = new Map<string, ResourceLine>()
  for (const r of plan?.resources ?? [])
    lines.set(r.kind, { item: r.kind, planned: r.qty, issued: 0, returned: 0, note: r.note })
  for (const m of moves) {
    if (m.kind !== 'issue' && m.kind !== 'return')
      continue // a shelter's check-in or check-out: listed with the moves, not a resource used
    const l = lines.get(m.item) ?? { item: m.item, planned: null, issued: 0, returned: 0, note: '' }
    lines.set(m.item, l)
    if (m.kind === 'issue')
      l.issued += m.qty
    else if (m.kind === 'return')
      l.returned += m.qty
  }
  return [...lines.values()]
}

/** The operation's own events, then the responders' milestones, oldest first. */
function timeline(op: Operation, f: AfterActionFigures, n: number): TimelineLine[] {
  const lines: TimelineLine[] = op.timeline.map(e => ({ at: e.at, kind: e.kind, text: e.text }))
  const add = (m: Moment | null, kind: string, text: string) => m && lines.push({ at: m.at, kind, text })
  add(f.firstAck, 'first-ack', `首位人员确认收到：${f.firstAck?.name}`)
  add(f.allAcked, 'all-acked', `全部 ${n} 条任务已确认（最后一位：${f.allAcked?.name}）`)
  add(f.firstOnScene, 'first-on-scene', `首位人员到场：${f.firstOnScene?.name}`)
  add(f.allOnScene, 'all-on-scene', `全部 ${n} 条任务已到场（最后一位：${f.allOnScene?.name}）`)
  return lines.sort(byTime)
}

/** The report of one operation from what was recorded. Pure: the same input gives the same report. */
export function afterAction(input: AfterActionInput): AfterActionReport {
  const op = input.operation
  const tasks = [...input.tasks].sort((a, b) => a.sentAt.localeCompare(b.sentAt) || a.assigneeName.localeCompare(b.assigneeName, 'zh-CN') || a.id.localeCompare(b.id))
  const deliveries = [...(input.deliveries ?? [])].sort(byTime)
  const nameOf = (id: string) => input.names.get(id) ?? (id === 'commander' ? '指挥长' : id)
  const responders: ResponderLine[] = tasks.map(t => ({
    taskId: t.id,
    personId: t.assigneeId,
    name: t.assigneeName,
    title: t.title,
    grid: t.gridId ? (input.gridNames.get(t.gridId) ?? t.gridId) : '',
    sentAt: t.sentAt,
    deliveredAt: t.deliveredAt,
    ackAt: t.ackAt,
    onSceneAt: t.onSceneAt,
    doneAt: t.doneAt,
    ackMinutes: minutesBetween(t.sentAt, t.ackAt),
    onSceneMinutes: minutesBetween(t.sentAt, t.onSceneAt),
    resends: t.resends,
    escalatedTo: t.escalatedTo.map(nameOf),
    reached: reachedOf(t),
    channels: [...new Set(deliveries.filter(d => d.taskId === t.id).map(d => d.channel))],
  }))
  const ack = firstAndAll(tasks, t => t.ackAt)
  const scene = firstAndAll(tasks, t => t.onSceneAt)
  const ackedPeople = new Set(tasks.filter(t => t.ackAt !== null).map(t => t.assigneeId))
  const silent = [...new Map(tasks.filter(t => !ackedPeople.has(t.assigneeId)).map(t => [t.assigneeId, t.assigneeName])).values()]
  const any = tasks.length > 0
  const figures: AfterActionFigures = {
    tasks: tasks.length,
    people: new Set(tasks.map(t => t.assigneeId)).size,
    delivered: tasks.filter(t => t.deliveredAt !== null).length,
    acknowledged: tasks.filter(t => t.ackAt !== null).length,
    onScene: tasks.filter(t => t.onSceneAt !== null).length,
    done: tasks.filter(t => t.doneAt !== null).length,
    firstAck: ack.first,
    allAcked: any ? ack.all : null,
    firstOnScene: scene.first,
    allOnScene: any ? scene.all : null,
    allAckedMinutes: any && ack.all ? minutesBetween(op.activatedAt, ack.all.at) : null,
    allOnSceneMinutes: any && scene.all ? minutesBetween(op.activatedAt, scene.all.at) : null,
    silent,
    resentTasks: tasks.filter(t => t.resends > 0).length,
    resends: tasks.reduce((n, t) => n + t.resends, 0),
    escalated: tasks.filter(t => t.escalatedTo.length > 0).length,
    coverage: coverage(input),
    channels: channels(deliveries),
    durationMinutes: minutesBetween(op.declaredAt, op.endedAt),
  }
  return {
    operationId: op.id,
    exercise: op.exercise === true,
    reason: op.reason,
    declaredAt: op.declaredAt,
    activatedAt: op.activatedAt,
    endedAt: op.endedAt,
    plan: input.plan ? { id: input.plan.id, name: input.plan.name } : null,
    figures,
    timeline: timeline(op, figures, tasks.length),
    responders,
    resources: resources(input.plan, input.moves ?? []),
    moves: [...(input.moves ?? [])].sort(byTime),
  }
}

/** The report's key figures as lines of zh-CN text (the HTML's list, the XLSX's figures sheet). */
export function figureLines(r: AfterActionReport): string[] {
  const f = r.figures
  const when = (m: Moment | null) => (m ? `${m.at.replace('T', ' ').slice(0, 19)}（${m.name}）` : '—')
  const lines = [
    `${r.exercise ? '【演练】' : ''}${r.reason}；预案：${r.plan?.name ?? '未启动'}`,
    `任务 ${f.tasks} 条，涉及 ${f.people} 人；送达 ${f.delivered}，确认 ${f.acknowledged}，到场 ${f.onScene}，完成 ${f.done}`,
    `首位确认：${when(f.firstAck)}；全部确认：${f.allAcked ? `${when(f.allAcked)}，启动后 ${f.allAckedMinutes} 分钟` : `未全部确认（${f.acknowledged}/${f.tasks}）`}`,
    `首位到场：${when(f.firstOnScene)}；全部到场：${f.allOnScene ? `${when(f.allOnScene)}，启动后 ${f.allOnSceneMinutes} 分钟` : `未全部到场（${f.onScene}/${f.tasks}）`}`,
    `始终未确认 ${f.silent.length} 人${f.silent.length ? `：${f.silent.join('、')}` : ''}`,
    `重发 ${f.resentTasks} 条（共 ${f.resends} 次），升级 ${f.escalated} 条`,
    `风险点覆盖：已确认 ${f.coverage.acknowledged}/${f.coverage.total}，已到场 ${f.coverage.onScene}/${f.coverage.total}`,
  ]
  if (f.channels.length)
    lines.push(`通知渠道：${f.channels.map(c => `${c.channel} 发出 ${c.sent}、送达 ${c.delivered}${c.failed ? `、失败 ${c.failed}` : ''}`).join('；')}`)
  if (f.durationMinutes !== null)
    lines.push(`战时状态持续 ${f.durationMinutes} 分钟`)
  return lines
}
