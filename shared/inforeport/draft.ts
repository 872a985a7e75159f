import type { ReferenceData } from '../territory/types.ts'
import type { Operation, Plan, Task } from '../wartime/schema.ts'
import type { InfoReport, InfoReportFields, InfoReportFigures } from './schema.ts'
import { localParts } from '../kernel/time.ts'
import { vocabName } from '../territory/types.ts'
import { tally } from '../wartime/board.ts'
import { reportName } from './schedule.ts'

// A report's draft, filled from the operation's own timeline and figures. The figures are the board's (`tally`):
// what the wall shows when the draft is made is what the draft says.

/** What a draft is made from: the operation, its plan and tasks, the package in force, the report before it. */
export interface DraftSource {
  op: Operation
  plan: Plan | null
  tasks: readonly Task[]
  ref: ReferenceData
  /** The warning the operation was declared on, as the wall heads it (its headline), if any. */
  warningHeadline: string | null
  /** The latest earlier report of the operation with fields: casualties, evacuees and signatures carry over. */
  previous: InfoReport | null
  now: Date
  /** People checked in to shelters during the operation (the shelters' recorded moves), when the install records them. */
  sheltered?: number
}

/** 2026年7月15日20时05分, in Asia/Shanghai. */
export function chineseTime(t: string | number | Date): string {
  const p = localParts(t)
  const pad = (n: number) => String(n).padStart(2, '0')
  return `${p.year}年${p.month0 + 1}月${p.day}日${pad(p.hour)}时${pad(p.minute)}分`
}

/**
 * The tasks as the board showed them at the moment the operation ended: ending cancels every open task (after the
 * end's own commit), which the board no longer counts; their state before is read back from their timestamps.
 */
export function asAtEnd(tasks: readonly Task[], op: Operation): Task[] {
  if (!op.endedAt)
    return [...tasks]
  const end = op.endedAt
  return tasks.map((t) => {
    if (t.state !== 'cancelled' || t.updatedAt < end)
      return t
    const state: Task['state'] = t.doneAt ? 'done' : t.onSceneAt ? 'on_scene' : t.ackAt ? 'acknowledged' : t.deliveredAt ? 'delivered' : 'sent'
    return { ...t, state }
  })
}

/** The board's figures now, or for an ended operation as they stood at its end. */
export function figuresOf(op: Operation, tasks: readonly Task[], now: Date): InfoReportFigures {
  const at = op.endedAt ?? now.toISOString()
  return { at, ...tally(asAtEnd(tasks, op), Date.parse(at)) }
}

function placeOf(src: DraftSource): { place: string, impact: string } {
  const { ref, tasks } = src
  const grids = new Map(ref.territory.grids.map(g => [g.id, g]))
  const gridIds = new Set(tasks.flatMap(t => t.gridId ? [t.gridId] : []))
  const communityIds = new Set([...gridIds].flatMap(id => grids.get(id)?.communityId ?? []))
  const communities = ref.territory.communities.filter(c => communityIds.has(c.id)).map(c => c.name)
  const riskPoints = ref.facilities.riskPoints.filter(rp => gridIds.has(rp.gridId)).length
  const sub = ref.territory.subdistrict.name
  const place = communities.length ? `${sub}${communities.slice(0, 6).join('、')}${communities.length > 6 ? `等${communities.length}个社区` : ''}` : `${sub}辖区`
  const impact = gridIds.size
    ? `涉及${communityIds.size}个社区、${gridIds.size}个网格，风险点${riskPoints}处。`
    : '影响范围正在核实。'
  return { place, impact }
}

function measuresOf(src: DraftSource, f: InfoReportFigures): string {
  const events = src.op.timeline.filter(e => e.kind !== 'escalate').map(e => `${chineseTime(e.at).replace(/^\d+年/, '')}，${e.text}`)
  const board = f.total
    ? `共派发任务${f.total}项，已确认${f.acknowledged}项，到岗${f.onScene}项，完成${f.done}项；重发${f.resent}项，逐级上报${f.escalated}项${f.late ? `，超时未确认${f.late}项` : ''}。`
    : '尚未派发任务。'
  return [...events.map((e, i) => `${i + 1}. ${e}。`), board].join('\n')
}

function forcesOf(src: DraftSource): string {
  const { plan, tasks, ref } = src
  const byTemplate = new Map<string, number>()
  for (const t of tasks)
    byTemplate.set(t.title, (byTemplate.get(t.title) ?? 0) + 1)
  const people = [...byTemplate].map(([title, n]) => `${title}${n}人`).join('，')
  const stock = (plan?.resources ?? []).map(r => `${vocabName(ref.facilities.resourceKinds, r.kind)}${r.qty}`).join('、')
  return [people ? `投入人员：${people}（合计${tasks.length}人次）。` : '投入人员：正在统计。', stock ? `前置物资：${stock}。` : ''].filter(Boolean).join('\n')
}

/** The draft of `report` from its source: the fields (every text editable) and the figures they were made from. */
export function draftReport(report: InfoReport, src: DraftSource): { fields: InfoReportFields, figures: InfoReportFigures } {
  const figures = figuresOf(src.op, src.tasks, src.now)
  const { place, impact } = placeOf(src)
  const carry = src.previous?.fields
  const sub = src.ref.territory.subdistrict.name
  const cause = src.warningHeadline ? `${src.warningHeadline}。` : ''
  const ended = src.op.endedAt ? `${chineseTime(src.op.endedAt)}结束战时状态。` : ''
  const fields: InfoReportFields = {
    title: `${src.op.exercise ? '【演练】' : ''}${sub}关于${src.op.reason}的${reportName(report)}`.slice(0, 120),
    time: chineseTime(src.op.declaredAt),
    place,
    summary: `${cause}${chineseTime(src.op.declaredAt)}，${sub}宣布进入战时状态（${src.op.reason}）${src.plan ? `，启动《${src.plan.name}》` : ''}。${ended}`.slice(0, 2000),
    impact,
    deaths: carry?.deaths ?? null,
    injured: carry?.injured ?? null,
    missing: carry?.missing ?? null,
    // The shelters' check-ins are a floor: the desk may know of more (people gone to relatives), never fewer.
    evacuated: carry?.evacuated != null || src.sheltered ? Math.max(carry?.evacuated ?? 0, src.sheltered ?? 0) : null,
    measures: measuresOf(src, figures).slice(0, 3000),
    forces: forcesOf(src).slice(0, 2000),
    nextSteps: report.kind === 'final'
      ? '做好善后处置、受灾群众生活保障和总结评估工作。'
      : '继续加强监测预警和巡查值守，做好人员转移安置，及时续报。',
    reporter: carry?.reporter ?? '',
    signer: carry?.signer ?? '',
  }
  return { fields, figures }
}

/** The fields a refresh from newer figures keeps: what the desk typed, not what the figures say. */
export const KEPT_ON_REFRESH = ['deaths', 'injured', 'missing', 'evacuated', 'reporter', 'signer'] as const

const count = (n: number | null, unit = '人') => n === null ? '正在核实' : `${n}${unit}`

/** The report as plain text, in the district form's order, ready to paste; `sentAt` null = not yet sent. */
export function reportText(fields: InfoReportFields, sentAt: string | null): string {
  const f = fields
  const counts = [f.deaths, f.injured, f.missing]
  const casualties = counts.every(n => n === 0)
    ? '无人员伤亡'
    : counts.every(n => n === null) ? '正在核实' : `死亡${count(f.deaths)}，受伤${count(f.injured)}，失联${count(f.missing)}`
  return [
    f.title,
    `报送时间：${sentAt ? chineseTime(sentAt) : '（待报送）'}`,
    `一、时间：${f.time}`,
    `二、地点：${f.place}`,
    `三、事件概况：${f.summary}`,
    `四、影响范围：${f.impact}`,
    `五、人员伤亡：${casualties}`,
    `六、转移安置：${count(f.evacuated)}`,
    `七、已采取措施：\n${f.measures}`,
    `八、投入力量和物资：\n${f.forces}`,
    `九、下一步工作：${f.nextSteps}`,
    `报告人：${f.reporter}\u3000签发人：${f.signer}`,
  ].join('\n')
}
