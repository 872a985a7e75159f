import type { IncidentState } from '../incident/schema.ts'
import type { CalendarOverride } from '../kernel/workdays.ts'
import type { ServiceAttribute } from '../open311/schema.ts'
import type { Loop, Post, Sector, SectorKey } from '../territory/types.ts'
import { addWorkingDays } from '../kernel/workdays.ts'
import { attributeProblems } from '../open311/services.ts'
import { LOOPS } from '../territory/types.ts'

// The responsibility lists (责任清单) as data: who owns which kind of incident, at which loop, within what time.
// Routing and the lifecycle read only these fields; nothing in code switches on a category code.

export interface PostRef { sectorId: SectorKey, postId: string }

export type Responsibility
  = | ({ type: 'single' } & PostRef) // 单一板块事项
    | { type: 'cross', lead: PostRef, helpers: PostRef[] } // 跨板块事项: lead post plus helpers
    | { type: 'community_task' } // 社区基础任务: the owning community carries it
    | { type: 'grid_task' } // 网格员 "6+1" 任务: the owning grid carries it

/** Minutes allowed in each waiting state before the incident is overdue (reported = time to accept, …). */
export type Deadlines = Partial<Record<IncidentState, number>>

export interface Category {
  /** ASCII slug, stable: stored on incidents and used by Open311 service codes. */
  code: string
  name: string
  nameEn: string
  /** 1 = I (most severe) … 4 = IV. */
  severity: 1 | 2 | 3 | 4
  /** The lowest loop that can own it: 小事不出网格，大事不出社区，难事不出街道. */
  loop: Loop
  deadlines: Deadlines
  /**
   * Stages whose limit is written in working days (e.g. 办结 within 5 工作日): they end at the close of the nth
   * working day after the stage began, in the Chinese calendar (holidays, 调休). Wins over `deadlines` for a state.
   */
  workdays?: Deadlines
  responsibility: Responsibility
  /** Relative frequency, for the demo simulator. */
  weight: number
  /** What an Open311 client asks the person for (the service definition's attributes); none when absent. */
  attributes?: ServiceAttribute[]
  /** Codes of categories whose reports may be the same problem as this one's (possible duplicates, docs/duplicates.md). */
  related?: string[]
}

export interface Catalog {
  sectors: Sector[]
  posts: Post[]
  categories: Category[]
  /** The package's own holidays and make-up working days, over the published calendar (calendar.csv). */
  calendar?: CalendarOverride
}

export { DEFAULT_CATALOG } from './default-catalog.ts'

export function categoryByCode(catalog: Catalog, code: string): Category | undefined {
  return catalog.categories.find(c => c.code === code)
}

export function postById(catalog: Catalog, postId: string): Post | undefined {
  return catalog.posts.find(p => p.id === postId)
}

/** Used when an incident's category has left the catalog: its clocks keep running at a moderate pace. */
export const FALLBACK_DEADLINES: Deadlines = {
  reported: 60,
  accepted: 120,
  assigned: 240,
  handling: 2880,
  resolved: 1440,
  verified: 4320,
}

/** When the stage entered at `since` in `state` must be done by; null when that state has no clock. */
export function stageDeadlineFor(catalog: Catalog, categoryCode: string, state: IncidentState, since: Date): string | null {
  const category = categoryByCode(catalog, categoryCode)
  const days = category?.workdays?.[state]
  if (days !== undefined)
    return addWorkingDays(since, days, catalog.calendar).toISOString()
  const minutes = (category?.deadlines ?? FALLBACK_DEADLINES)[state]
  return minutes === undefined ? null : new Date(since.getTime() + minutes * 60_000).toISOString()
}

/** Every post a responsibility names, lead first. */
export function postsOf(responsibility: Responsibility): PostRef[] {
  if (responsibility.type === 'single')
    return [{ sectorId: responsibility.sectorId, postId: responsibility.postId }]
  if (responsibility.type === 'cross')
    return [responsibility.lead, ...responsibility.helpers]
  return []
}

/** Problems that would make routing guess: an edited catalog is checked before it is used. Empty = valid. */
export function validateCatalog(catalog: Catalog): string[] {
  const problems: string[] = []
  const sectorIds = new Set(catalog.sectors.map(s => s.id))
  const seen = new Set<string>()
  for (const post of catalog.posts) {
    if (!sectorIds.has(post.sectorId))
      problems.push(`post ${post.id}: unknown sector ${post.sectorId}`)
  }
  for (const c of catalog.categories) {
    if (seen.has(c.code))
      problems.push(`category ${c.code}: duplicate code`)
    seen.add(c.code)
    if (!/^[a-z][a-z0-9_]*$/.test(c.code))
      problems.push(`category ${c.code}: code must be an ascii slug`)
    if (!LOOPS.includes(c.loop))
      problems.push(`category ${c.code}: unknown loop ${String(c.loop)}`)
    if (!(c.weight > 0))
      problems.push(`category ${c.code}: weight must be positive`)
    for (const [state, minutes] of Object.entries(c.deadlines)) {
      if (!(typeof minutes === 'number' && minutes > 0))
        problems.push(`category ${c.code}: deadline for ${state} must be positive`)
    }
    for (const [state, days] of Object.entries(c.workdays ?? {})) {
      if (!(typeof days === 'number' && Number.isInteger(days) && days > 0 && days <= 365))
        problems.push(`category ${c.code}: working days for ${state} must be a whole number from 1 to 365`)
    }
    for (const ref of postsOf(c.responsibility)) {
      const post = postById(catalog, ref.postId)
      if (!post)
        problems.push(`category ${c.code}: unknown post ${ref.postId}`)
      else if (post.sectorId !== ref.sectorId)
        problems.push(`category ${c.code}: post ${ref.postId} is not in sector ${ref.sectorId}`)
    }
    problems.push(...attributeProblems(c))
  }
  return problems
}
