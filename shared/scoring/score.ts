import type { Catalog } from '../organisation/catalog.ts'
import type { ReferenceData } from '../territory/types.ts'
import type { ReportField, ScoringConfig } from './config.ts'
import type { IncidentFacts, IncidentRecord } from './facts.ts'
import type { Dimension, DimensionKey, ScorePart, WorkerInputs, WorkerScore } from './schema.ts'
import { dayOf, monthRange } from '../kernel/time.ts'
import { categoryByCode } from '../organisation/catalog.ts'
import { REPORT_FIELD_LABELS, tierOf } from './config.ts'
import { incidentFacts } from './facts.ts'

// The monthly grid-worker score (赛马比拼), from recorded data only: the incidents' append-only history, patrol
// check-ins and the reference data. Every number that goes in is kept in `inputs`, and every step of the
// arithmetic is written out in `formula`, so anyone can see why they got their score.
//
// Arithmetic: a part is a ratio numerator ÷ denominator capped at 1; a dimension is 100 × the weighted mean
// of its parts; the total is the weighted mean of the dimensions. A part with nothing to divide by (no
// feedback this month, say) is "no data": it is left out and the other weights are scaled up, rather than
// counting as 0 or 100. Dimension scores are rounded to 2 decimals before the total is taken, so the
// written formula adds up exactly as shown.
//
// Ties: workers are ordered by total, then completion, activity, completeness (higher first); workers equal
// on all four share a rank (standard competition ranking: 1, 2, 2, 4) and are listed by person id.

export interface PatrolRecord { personId: string, gridId: string, at: string }

export interface ScoringInput {
  month: string
  reference: ReferenceData
  catalog: Catalog
  config: ScoringConfig
  /** Every incident with a history entry in the month or still open at its start (more is harmless). */
  incidents: IncidentRecord[]
  /** Patrol check-ins (those outside the month are ignored). */
  patrols: PatrolRecord[]
  /** For the running month: now. Work is "overdue at the month's end" only if it is overdue by then. */
  asOf?: number
}

export const round2 = (x: number) => Math.round(x * 100) / 100
const fmt = (x: number, d = 2) => x.toFixed(d)
const GRID_WORKER_DIMENSIONS: Record<DimensionKey, string> = { completeness: '信息完整度', activity: '活跃度', completion: '完成率' }

/** A ratio part, capped at 1 (an activity count past its target scores no more); null with nothing to divide by. */
export function part(key: string, label: string, numerator: number, denominator: number, weight: number, note: string): ScorePart {
  const value = denominator > 0 ? Math.min(1, numerator / denominator) : null
  return { key, label, numerator, denominator, value, weight, effectiveWeight: 0, note }
}

/** Weights renormalised over the entries that have data. */
function normalise<T extends { weight: number, effectiveWeight: number }>(items: T[], hasData: (t: T) => boolean): number {
  const sum = items.filter(hasData).reduce((s, t) => s + t.weight, 0)
  for (const t of items) t.effectiveWeight = sum > 0 && hasData(t) ? t.weight / sum : 0
  return sum
}

/** 100 × Σ effectiveWeight × value, with the arithmetic written out. */
export function dimension(key: DimensionKey, label: string, weight: number, parts: ScorePart[]): Dimension {
  const sum = normalise(parts, p => p.value !== null)
  const used = parts.filter(p => p.value !== null && p.effectiveWeight > 0)
  const skipped = parts.filter(p => p.value === null).map(p => `${p.label} 无数据 no data`)
  if (sum === 0 || used.length === 0)
    return { key, label, weight, effectiveWeight: 0, score: null, parts, formula: `无数据 no data${skipped.length ? ` (${skipped.join('; ')})` : ''}` }
  const score = round2(100 * used.reduce((s, p) => s + p.effectiveWeight * p.value!, 0))
  const terms = used.map(p => `${fmt(p.effectiveWeight, 3)}×${fmt(p.value!, 4)}`).join(' + ')
  return { key, label, weight, effectiveWeight: 0, score, parts, formula: `100 × (${terms}) = ${fmt(score)}${skipped.length ? `; ${skipped.join('; ')}` : ''}` }
}

/** Σ effectiveWeight × dimension score, over the dimensions with data. */
export function combine(dimensions: Dimension[]): { total: number, formula: string } {
  normalise(dimensions, d => d.score !== null)
  const used = dimensions.filter(d => d.score !== null && d.effectiveWeight > 0)
  if (used.length === 0)
    return { total: 0, formula: '无数据 no data = 0.00' }
  const total = round2(used.reduce((s, d) => s + d.effectiveWeight * d.score!, 0))
  return { total, formula: `${used.map(d => `${fmt(d.effectiveWeight, 3)}×${fmt(d.score!)}`).join(' + ')} = ${fmt(total)}` }
}

/** Profile items of a grid: basic data, its station, its people, one N-force liaison per kind. */
export function gridProfile(ref: ReferenceData, gridId: string): { items: number, filled: number, missing: string[] } {
  const grid = ref.territory.grids.find(g => g.id === gridId)
  const roster = ref.org.rosters.find(r => r.gridId === gridId)
  const known = (id: string | undefined) => !!id && ref.org.people.some(p => p.id === id)
  const checks: [string, boolean][] = [
    ['名称 name', !!grid?.name.trim()],
    ['户数 households', (grid?.households ?? 0) > 0],
    ['边界 boundary', (grid?.polygon[0]?.length ?? 0) >= 4],
    ['网格驿站 station', ref.facilities.stations.some(s => s.gridId === gridId)],
    ['网格指导员 instructor', known(roster?.instructorId)],
    ['包联领导 contact leader', known(roster?.contactLeaderId)],
    ...ref.org.forceKinds.map(({ id: k, name }) => [`${name}联络人 ${k} liaison`, !!roster?.liaisons.some(l => l.kind === k && known(l.personId))] as [string, boolean]),
  ]
  return { items: checks.length, filled: checks.filter(c => c[1]).length, missing: checks.filter(c => !c[1]).map(c => `${grid?.name ?? gridId}: ${c[0]}`) }
}

/** How many of the configured fields a report has filled. */
function reportFields(f: IncidentFacts, rec: IncidentRecord, catalog: Catalog, cfg: ScoringConfig): number {
  const i = rec.incident
  const filled: Record<ReportField, boolean> = {
    category: !!categoryByCode(catalog, i.category),
    location: f.gridId !== null,
    description: i.description.trim().length >= cfg.completeness.minDescriptionChars,
    address: i.address.trim().length > 0,
    photo: (i.photos?.length ?? 0) > 0,
  }
  return cfg.completeness.reportFields.filter(k => filled[k]).length
}

function emptyInputs(): WorkerInputs {
  return {
    reports: 0,
    reportFieldsChecked: 0,
    reportFieldsFilled: 0,
    updates: 0,
    updatesWithNote: 0,
    profileItems: 0,
    profileItemsFilled: 0,
    profileMissing: [],
    patrols: 0,
    activeDays: 0,
    closed: 0,
    closedOnTime: 0,
    overdueOpenAtMonthEnd: 0,
    feedback: 0,
    satisfied: 0,
  }
}

/** Each grid worker's recorded inputs for the month. Workers are the people rosters name as a grid's worker. */
export function collectInputs(input: ScoringInput, facts: Map<string, IncidentFacts>): Map<string, WorkerInputs> {
  const { reference: ref, config: cfg, catalog, month } = input
  const { from, to } = monthRange(month)
  const gridsOf = new Map<string, string[]>()
  for (const r of ref.org.rosters)
    gridsOf.set(r.workerId, [...(gridsOf.get(r.workerId) ?? []), r.gridId])
  const workerOfGrid = new Map(ref.org.rosters.map(r => [r.gridId, r.workerId]))
  const out = new Map<string, WorkerInputs>()
  const days = new Map<string, Set<string>>()
  for (const [w, grids] of gridsOf) {
    const x = emptyInputs()
    for (const g of grids) {
      const p = gridProfile(ref, g)
      x.profileItems += p.items
      x.profileItemsFilled += p.filled
      x.profileMissing.push(...p.missing)
    }
    out.set(w, x)
    days.set(w, new Set())
  }
  const records = new Map(input.incidents.map(r => [r.incident.id, r]))
  const updateActions = new Set(cfg.completeness.updateActions)
  const loops = new Set<string>(cfg.completion.loops)
  for (const f of facts.values()) {
    for (const e of f.inMonth) {
      const x = out.get(e.actor.personId)
      if (!x)
        continue
      days.get(e.actor.personId)!.add(dayOf(e.at))
      if (e === f.report) {
        x.reports++
        x.reportFieldsChecked += cfg.completeness.reportFields.length
        x.reportFieldsFilled += reportFields(f, records.get(f.id)!, catalog, cfg)
      }
      else if (updateActions.has(e.action)) {
        x.updates++
        if ((e.note?.trim().length ?? 0) >= cfg.completeness.minNoteChars)
          x.updatesWithNote++
      }
    }
    const owner = f.gridId ? out.get(workerOfGrid.get(f.gridId) ?? '') : undefined
    if (!owner || !f.startLoop || !loops.has(f.startLoop))
      continue
    if (f.closed) {
      owner.closed++
      if (f.closed.onTime)
        owner.closedOnTime++
    }
    if (f.overdueAtEnd)
      owner.overdueOpenAtMonthEnd++
    for (const fb of f.feedback) {
      owner.feedback++
      if (fb.satisfied)
        owner.satisfied++
    }
  }
  for (const p of input.patrols) {
    const t = Date.parse(p.at)
    const x = out.get(p.personId)
    if (!x || t < from || t >= to)
      continue
    x.patrols++
    days.get(p.personId)!.add(dayOf(t))
  }
  for (const [w, set] of days) out.get(w)!.activeDays = set.size
  return out
}

/** The three dimensions and the total of one worker's inputs. */
export function scoreInputs(x: WorkerInputs, cfg: ScoringConfig): Pick<WorkerScore, 'dimensions' | 'total' | 'formula'> {
  const c = cfg.completeness
  const a = cfg.activity
  const k = cfg.completion
  const dims = [
    dimension('completeness', GRID_WORKER_DIMENSIONS.completeness, cfg.weights.completeness, [
      part('records', '上报与处置记录完整 records complete', x.reportFieldsFilled + x.updatesWithNote, x.reportFieldsChecked + x.updates, c.weights.records, `${x.reports} 次上报 × ${c.reportFields.length} 项（${c.reportFields.map(k => k === 'description' ? `描述≥${c.minDescriptionChars}字` : REPORT_FIELD_LABELS[k]).join('、')}）中 ${x.reportFieldsFilled} 项齐全；${x.updates} 条处置记录中 ${x.updatesWithNote} 条有说明（≥${c.minNoteChars}字）`),
      part('profile', '网格基础信息 grid profile', x.profileItemsFilled, x.profileItems, c.weights.profile, x.profileMissing.length ? `缺 missing: ${x.profileMissing.slice(0, 6).join('; ')}${x.profileMissing.length > 6 ? ' …' : ''}` : '齐全 complete'),
    ]),
    dimension('activity', GRID_WORKER_DIMENSIONS.activity, cfg.weights.activity, [
      part('patrols', '巡查打卡 patrol check-ins', x.patrols, a.targets.patrols, a.weights.patrols, `${x.patrols} 次，目标 ${a.targets.patrols} 次/月（达标即满分）`),
      part('reports', '主动上报 reports', x.reports, a.targets.reports, a.weights.reports, `${x.reports} 件，目标 ${a.targets.reports} 件/月`),
      part('activeDays', '在岗天数 active days', x.activeDays, a.targets.activeDays, a.weights.activeDays, `${x.activeDays} 天有打卡或办理记录，目标 ${a.targets.activeDays} 天`),
    ]),
    dimension('completion', GRID_WORKER_DIMENSIONS.completion, cfg.weights.completion, [
      part('onTime', '按时办结 closed on time', x.closedOnTime, x.closed + x.overdueOpenAtMonthEnd, k.weights.onTime, `本网格（${k.loops.join('/')} 级事项）本月办结 ${x.closed} 件，其中各环节均未超时 ${x.closedOnTime} 件；月末（进行中的月份：至今）仍超时未办结 ${x.overdueOpenAtMonthEnd} 件`),
      part('satisfaction', '群众满意 satisfied', x.satisfied, x.feedback, k.weights.satisfaction, `回访 ${x.feedback} 次，满意 ${x.satisfied} 次`),
    ]),
  ]
  const { total, formula } = combine(dims)
  return { dimensions: dims, total, formula }
}

const pick = (t: { key: string, name: string, nameEn: string }) => ({ key: t.key, name: t.name, nameEn: t.nameEn })
const dimScore = (s: Pick<WorkerScore, 'dimensions'>, key: DimensionKey) => s.dimensions.find(d => d.key === key)?.score ?? -1

/** Orders best first and gives ranks (see the tie rule above). Mutates `rank` only. */
export function rankWorkers<T extends Pick<WorkerScore, 'personId' | 'total' | 'dimensions' | 'rank'>>(scores: T[]): T[] {
  const key = (s: T) => [s.total, dimScore(s, 'completion'), dimScore(s, 'activity'), dimScore(s, 'completeness')]
  const cmp = (a: T, b: T) => {
    const ka = key(a)
    const kb = key(b)
    for (let i = 0; i < ka.length; i++) {
      if (ka[i] !== kb[i])
        return kb[i]! - ka[i]!
    }
    return 0
  }
  const sorted = [...scores].sort((a, b) => cmp(a, b) || (a.personId < b.personId ? -1 : a.personId > b.personId ? 1 : 0))
  sorted.forEach((s, i) => {
    s.rank = i > 0 && cmp(sorted[i - 1]!, s) === 0 ? sorted[i - 1]!.rank : i + 1
  })
  return sorted
}

/** Every grid worker's score for the month, ranked, without last month's comparison (see scoring-rankings). */
export function scoreMonth(input: ScoringInput): { scores: WorkerScore[], facts: Map<string, IncidentFacts> } {
  const { from, to } = monthRange(input.month)
  const facts = new Map<string, IncidentFacts>()
  for (const rec of input.incidents) {
    const f = incidentFacts(rec, from, to, input.catalog, Math.min(to, input.asOf ?? to))
    if (f)
      facts.set(f.id, f)
  }
  const inputs = collectInputs(input, facts)
  const people = new Map(input.reference.org.people.map(p => [p.id, p]))
  const gridCommunity = new Map(input.reference.territory.grids.map(g => [g.id, g.communityId]))
  const scores: WorkerScore[] = [...inputs].map(([personId, x]) => {
    const gridIds = input.reference.org.rosters.filter(r => r.workerId === personId).map(r => r.gridId)
    const person = people.get(personId)
    const { dimensions, total, formula } = scoreInputs(x, input.config)
    return {
      personId,
      name: person?.name ?? personId,
      communityId: person?.communityId ?? gridCommunity.get(gridIds[0] ?? '') ?? null,
      gridIds,
      inputs: x,
      dimensions,
      total,
      formula,
      tier: pick(tierOf(total, input.config.tiers)),
      rank: 1,
      previousRank: null,
      previousTotal: null,
      rankChange: null,
      totalChange: null,
    }
  })
  return { scores: rankWorkers(scores), facts }
}
