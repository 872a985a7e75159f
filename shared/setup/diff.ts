import type { Incident } from '../incident/schema.ts'
import type { AffectedIncident, PackageDiff, SectionDiff, SubdistrictPackage } from './package.ts'

// What applying a package would change, shown on the dry run before the admin applies it: per section the ids
// added, changed and removed, the settings that change, and the open incidents left pointing at something removed.

type Keyed = object
const field = (r: object, key: string): string => String((r as Record<string, unknown>)[key])

const SECTIONS: { section: string, key: string, pick: (p: SubdistrictPackage) => Keyed[] }[] = [
  { section: 'communities', key: 'id', pick: p => p.reference.territory.communities },
  { section: 'grids', key: 'id', pick: p => p.reference.territory.grids },
  { section: 'sectors', key: 'id', pick: p => p.reference.org.sectors },
  { section: 'posts', key: 'id', pick: p => p.reference.org.posts },
  { section: 'people', key: 'id', pick: p => p.reference.org.people },
  { section: 'rosters', key: 'gridId', pick: p => p.reference.org.rosters },
  { section: 'forceKinds', key: 'id', pick: p => p.reference.org.forceKinds },
  { section: 'forceUnits', key: 'id', pick: p => p.reference.org.forceUnits },
  { section: 'stations', key: 'id', pick: p => p.reference.facilities.stations },
  { section: 'riskPoints', key: 'id', pick: p => p.reference.facilities.riskPoints },
  { section: 'shelters', key: 'id', pick: p => p.reference.facilities.shelters },
  { section: 'depots', key: 'id', pick: p => p.reference.facilities.depots },
  { section: 'riskTags', key: 'id', pick: p => p.reference.facilities.riskTags },
  { section: 'riskPointKinds', key: 'id', pick: p => p.reference.facilities.riskPointKinds },
  { section: 'resourceKinds', key: 'id', pick: p => p.reference.facilities.resourceKinds },
  { section: 'categories', key: 'code', pick: p => p.categories },
  { section: 'plans', key: 'id', pick: p => p.plans },
  { section: 'sensors', key: 'id', pick: p => p.sensors ?? [] },
]

/** Key order does not make a record different. */
function canonical(v: unknown): string {
  return JSON.stringify(v, (_k, x: unknown) => x && typeof x === 'object' && !Array.isArray(x)
    ? Object.fromEntries(Object.entries(x).sort(([a], [b]) => a.localeCompare(b)))
    : x)
}

/** Two records hold the same values, whatever the order of their keys. */
export const sameRecord = (a: unknown, b: unknown): boolean => canonical(a) === canonical(b)

function sectionDiff(section: string, key: string, before: Keyed[], after: Keyed[]): SectionDiff {
  const old = new Map(before.map(r => [field(r, key), canonical(r)]))
  const next = new Map(after.map(r => [field(r, key), canonical(r)]))
  const added = [...next.keys()].filter(id => !old.has(id))
  const removed = [...old.keys()].filter(id => !next.has(id))
  const changed = [...next.keys()].filter(id => old.has(id) && old.get(id) !== next.get(id))
  return { section, added, changed, removed }
}

const SETTINGS: { name: string, pick: (p: SubdistrictPackage) => unknown }[] = [
  { name: 'subdistrict', pick: p => p.reference.territory.subdistrict },
  { name: 'headline', pick: p => p.headline },
  { name: 'scoring', pick: p => p.scoring },
  { name: 'calendar', pick: p => p.calendar ?? null },
  { name: 'duplicates', pick: p => p.duplicates ?? null },
  { name: 'inforeports', pick: p => p.inforeports ?? null },
]

/** The open incidents whose grid, community, category, post or assignee the new package no longer has. */
function affectedBy(next: SubdistrictPackage, open: readonly Incident[]): AffectedIncident[] {
  const has = (list: Keyed[], key: string) => new Set(list.map(r => field(r, key)))
  const grids = has(next.reference.territory.grids, 'id')
  const communities = has(next.reference.territory.communities, 'id')
  const categories = has(next.categories, 'code')
  const posts = has(next.reference.org.posts, 'id')
  const people = has(next.reference.org.people, 'id')
  const out: AffectedIncident[] = []
  for (const inc of open) {
    const o = inc.owner
    const why: [string, string][] = []
    if (o.gridId && !grids.has(o.gridId))
      why.push([`所在网格 ${o.gridId} 被删除`, `its grid ${o.gridId} is removed`])
    if (o.communityId && !communities.has(o.communityId))
      why.push([`所属社区 ${o.communityId} 被删除`, `its community ${o.communityId} is removed`])
    if (!categories.has(inc.category))
      why.push([`事项类别 ${inc.category} 被删除`, `its category ${inc.category} is removed`])
    if (o.postId && !posts.has(o.postId))
      why.push([`责任岗位 ${o.postId} 被删除`, `its post ${o.postId} is removed`])
    if (o.assigneeId && !people.has(o.assigneeId))
      why.push([`承办人 ${o.assigneeId} 被删除`, `its assignee ${o.assigneeId} is removed`])
    if (why.length)
      out.push({ id: inc.id, title: inc.title, reason: why.map(w => w[0]).join('；'), reasonEn: why.map(w => w[1]).join('; ') })
  }
  return out
}

export function diffPackages(before: SubdistrictPackage, after: SubdistrictPackage, open: readonly Incident[]): PackageDiff {
  return {
    sections: SECTIONS.map(s => sectionDiff(s.section, s.key, s.pick(before), s.pick(after))),
    settings: SETTINGS.filter(s => canonical(s.pick(before)) !== canonical(s.pick(after))).map(s => s.name),
    affected: affectedBy(after, open),
  }
}

/** Nothing would change. */
export function isNoop(diff: PackageDiff): boolean {
  return diff.settings.length === 0 && diff.sections.every(s => s.added.length + s.changed.length + s.removed.length === 0)
}
