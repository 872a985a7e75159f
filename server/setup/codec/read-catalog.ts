import type { Category, Deadlines, PostRef, Responsibility } from '../../../shared/organisation/catalog.ts'
import type { Post, Vocabulary } from '../../../shared/territory/types.ts'
import type { ReadContext } from './read-context.ts'
import type { Row } from './table.ts'
import { DEADLINE_STATES, LOOP_NAMES, RESPONSIBILITY_NAMES, VOCAB_TYPES } from './layout.ts'
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
    return { code, name: r.text(row, 'name', code, true), nameEn: r.text(row, 'nameEn', code), severity, loop, deadlines, responsibility, weight: r.num(row, 'weight', code, { required: true }) ?? 0 }
  })
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
