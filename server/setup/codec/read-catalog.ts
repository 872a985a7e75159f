import type { CalendarOverride } from '../../../shared/kernel/workdays.ts'
import type { Category, Deadlines, PostRef, Responsibility } from '../../../shared/organisation/catalog.ts'
import type { Post, Vocabulary } from '../../../shared/territory/types.ts'
import type { ReadContext } from './read-context.ts'
import type { Row } from './table.ts'
import { CALENDAR_KINDS, DEADLINE_STATES, LOOP_NAMES, RESPONSIBILITY_NAMES, VOCAB_TYPES } from './layout.ts'
import { readNamed } from './read-org.ts'

// 事项类别, 字典 and 物资储备.

/** 等级: written I–IV; the digits 1–4 are accepted too. */
const SEVERITY_NAMES: Record<string, string> = { 1: 'I', 2: 'II', 3: 'III', 4: 'IV' }

/** A post's sector, so the sheet names only the post; an unknown post keeps an empty sector (validation names it). */
function refOf(posts: Map<string, Post>, postId: string): PostRef {
  return { sectorId: posts.get(postId)?.sectorId ?? '', postId }
}

export function readCategories(ctx: ReadContext, posts: Post[]): Category[] {
  const r = ctx.sheet('categories')
  if (!r)
    return []
  const byId = new Map(posts.map(p => [p.id, p]))
  return r.rows.map((row) => {
    const code = r.text(row, 'id', '', true)
    ctx.record('categories', code, r, row)
    const severity = Number(r.choice(row, 'severity', code, SEVERITY_NAMES) ?? 4) as Category['severity']
    const loop = r.choice(row, 'loop', code, LOOP_NAMES) ?? 'grid'
    const type = r.choice(row, 'type', code, RESPONSIBILITY_NAMES)
    const lead = r.text(row, 'leadPost', code)
    const helpers = r.list(row, 'helperPosts')
    let responsibility: Responsibility
    if (type === 'single')
      responsibility = { type, ...refOf(byId, lead) }
    else if (type === 'cross')
      responsibility = { type, lead: refOf(byId, lead), helpers: helpers.map(h => refOf(byId, h)) }
    else
      responsibility = { type: type ?? 'grid_task' }
    const deadlines: Deadlines = {}
    for (const st of DEADLINE_STATES) {
      const minutes = r.num(row, `deadline.${st}`, code, { min: 0 })
      if (minutes !== undefined)
        deadlines[st] = minutes
    }
    const workdays: Deadlines = {}
    for (const st of DEADLINE_STATES) {
      const days = r.num(row, `workdays.${st}`, code, { min: 1 })
      if (days !== undefined)
        workdays[st] = days
    }
    const category: Category = { code, name: r.text(row, 'name', code, true), nameEn: r.text(row, 'nameEn', code), severity, loop, deadlines, responsibility, weight: r.num(row, 'weight', code, { required: true }) ?? 0 }
    if (Object.keys(workdays).length > 0)
      category.workdays = workdays
    return category
  })
}

/** 节假日: the package's own days off and make-up working days; absent sheet, no override. */
export function readCalendar(ctx: ReadContext): CalendarOverride | undefined {
  const r = ctx.sheet('calendar')
  if (!r)
    return undefined
  const out: CalendarOverride = { holidays: [], workdays: [] }
  for (const row of r.rows) {
    const date = r.text(row, 'date', '', true)
    const kind = r.choice(row, 'kind', date, CALENDAR_KINDS)
    if (!/^\d{4}-\d{2}-\d{2}$/.test(date) || Number.isNaN(Date.parse(`${date}T00:00:00Z`))) {
      ctx.problems.push({ file: r.table.file, sheet: r.table.sheet, row: row.row, column: '日期', id: date, code: 'bad_value', reason: `日期须写作 YYYY-MM-DD：${date}`, reasonEn: `a date is written YYYY-MM-DD: ${date}` })
      continue
    }
    if (kind)
      out[kind === 'holiday' ? 'holidays' : 'workdays'].push(date)
  }
  for (const d of out.holidays.filter(d => out.workdays.includes(d)))
    ctx.problems.push({ file: r.table.file, sheet: r.table.sheet, column: '日期', id: d, code: 'duplicate_code', reason: `${d} 既是休息日又是工作日`, reasonEn: `${d} is both a day off and a working day` })
  return out.holidays.length + out.workdays.length > 0 ? out : undefined
}

export type Vocabularies = Record<keyof typeof VOCAB_TYPES, Vocabulary[]>

export function readVocab(ctx: ReadContext): Vocabularies {
  const sections = Object.keys(VOCAB_TYPES) as (keyof typeof VOCAB_TYPES)[]
  const r = ctx.sheet('vocab', sections)
  const out: Vocabularies = { riskTags: [], riskPointKinds: [], resourceKinds: [] }
  for (const row of r?.rows ?? []) {
    const type = r!.choice(row, 'type', r!.text(row, 'id'), VOCAB_TYPES)
    if (type)
      out[type].push(readNamed(ctx, r, type, row))
  }
  return out
}

export interface StockRow { depotId: string, kind: string, qty: number, at: Row }

export function readStock(ctx: ReadContext): { rows: StockRow[], file: string, reject: (row: StockRow, zh: string, en: string) => void } {
  const r = ctx.sheet('stock')
  const rows = (r?.rows ?? []).map((row) => {
    const depotId = r!.text(row, 'depotId', '', true)
    return { depotId, kind: r!.text(row, 'kind', depotId, true), qty: r!.num(row, 'qty', depotId, { required: true, integer: true, min: 0 }) ?? 0, at: row }
  })
  return { rows, file: r?.table.file ?? '', reject: (s, zh, en) => r!.problem(s.at, 'depotId', s.depotId, 'unknown_reference', zh, en) }
}
