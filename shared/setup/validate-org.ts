import type { RoleKey } from '../territory/types.ts'
import type { Issue } from './origins.ts'
import type { SubdistrictPackage } from './package.ts'
import { ROLE_KEYS } from '../territory/types.ts'
import { duplicates, idSet, refIssue } from './issues.ts'
import { ROLE_NAMES } from './roles.ts'

// Codes are unique in each section and every reference lands on something the package defines.

/** The role a roster place needs of the person in it. */
const ROSTER_ROLES: Record<'workerId' | 'instructorId' | 'contactLeaderId', RoleKey> = {
  workerId: 'grid_worker',
  instructorId: 'community_staff',
  contactLeaderId: 'leader',
}

function roleMissing(section: string, id: string, field: string, personId: string, role: RoleKey): Issue {
  return { section, id, field, code: 'role_missing', reason: `人员 ${personId} 没有所需角色“${ROLE_NAMES[role]}”`, reasonEn: `person ${personId} lacks the role ${role}` }
}

export function checkOrganisation(pkg: SubdistrictPackage): Issue[] {
  const { territory, org, facilities } = pkg.reference
  const out: Issue[] = []
  out.push(
    ...duplicates('communities', territory.communities, c => c.id),
    ...duplicates('grids', territory.grids, g => g.id),
    ...duplicates('sectors', org.sectors, s => s.id),
    ...duplicates('posts', org.posts, p => p.id),
    ...duplicates('people', org.people, p => p.id),
    ...duplicates('rosters', org.rosters, r => r.gridId, 'gridId'),
    ...duplicates('forceKinds', org.forceKinds, k => k.id),
    ...duplicates('forceUnits', org.forceUnits, u => u.id),
    ...duplicates('riskTags', facilities.riskTags, k => k.id),
    ...duplicates('riskPointKinds', facilities.riskPointKinds, k => k.id),
    ...duplicates('resourceKinds', facilities.resourceKinds, k => k.id),
  )
  const facilityIds = new Set<string>()
  for (const [section, list] of [['depots', facilities.depots], ['stations', facilities.stations], ['riskPoints', facilities.riskPoints], ['shelters', facilities.shelters]] as const) {
    for (const f of list) {
      if (facilityIds.has(f.id))
        out.push({ section, id: f.id, field: 'id', code: 'duplicate_code', reason: `编码重复：${f.id}`, reasonEn: `duplicate code ${f.id}` })
      facilityIds.add(f.id)
    }
  }

  const communities = idSet(territory.communities)
  const grids = idSet(territory.grids)
  const sectors = idSet(org.sectors)
  const posts = new Map(org.posts.map(p => [p.id, p]))
  const people = new Map(org.people.map(p => [p.id, p]))
  const personIds = new Set(people.keys())
  const postIds = new Set(posts.keys())
  const nobody = new Set<string>()
  const kinds = idSet(org.forceKinds)
  const units = idSet(org.forceUnits)
  const tags = idSet(facilities.riskTags)
  const roles = new Set<string>(ROLE_KEYS)

  for (const g of territory.grids) {
    out.push(...refIssue(communities, 'grids', g.id, 'communityId', '社区', 'community', g.communityId))
    for (const t of g.riskTags)
      out.push(...refIssue(tags, 'grids', g.id, 'riskTags', '风险标签', 'risk tag', t))
  }
  for (const p of org.posts)
    out.push(...refIssue(sectors, 'posts', p.id, 'sectorId', '板块', 'sector', p.sectorId))
  for (const p of org.people) {
    for (const r of p.roles)
      out.push(...refIssue(roles, 'people', p.id, 'roles', '角色', 'role', r))
    out.push(
      ...refIssue(sectors, 'people', p.id, 'sectorId', '板块', 'sector', p.sectorId),
      ...refIssue(postIds, 'people', p.id, 'postId', '岗位', 'post', p.postId),
      ...refIssue(communities, 'people', p.id, 'communityId', '社区', 'community', p.communityId),
      ...refIssue(kinds, 'people', p.id, 'forceKind', '力量类别', 'force kind', p.forceKind),
      ...refIssue(units, 'people', p.id, 'forceUnitId', '力量单位', 'force unit', p.forceUnitId),
    )
  }
  for (const r of org.rosters) {
    out.push(...refIssue(grids, 'rosters', r.gridId, 'gridId', '网格', 'grid', r.gridId))
    for (const field of ['workerId', 'instructorId', 'contactLeaderId'] as const) {
      const person = people.get(r[field])
      if (!person)
        out.push(...refIssue(nobody, 'rosters', r.gridId, field, '人员', 'person', r[field]))
      else if (!person.roles.includes(ROSTER_ROLES[field]))
        out.push(roleMissing('rosters', r.gridId, field, person.id, ROSTER_ROLES[field]))
    }
    r.liaisons.forEach((l, i) => {
      const id = `${r.gridId}#${i + 1}`
      out.push(...refIssue(kinds, 'liaisons', id, 'kind', '力量类别', 'force kind', l.kind))
      const person = people.get(l.personId)
      if (!person)
        out.push(...refIssue(nobody, 'liaisons', id, 'personId', '人员', 'person', l.personId))
      else if (!person.roles.includes('force_member'))
        out.push(roleMissing('liaisons', id, 'personId', person.id, 'force_member'))
    })
  }
  for (const u of org.forceUnits) {
    out.push(...refIssue(kinds, 'forceUnits', u.id, 'kind', '力量类别', 'force kind', u.kind))
    for (const m of u.memberIds)
      out.push(...refIssue(personIds, 'forceUnits', u.id, 'memberIds', '人员', 'person', m))
  }
  for (const s of facilities.stations)
    out.push(...refIssue(grids, 'stations', s.id, 'gridId', '网格', 'grid', s.gridId))
  const pointKinds = idSet(facilities.riskPointKinds)
  for (const p of facilities.riskPoints) {
    out.push(...refIssue(grids, 'riskPoints', p.id, 'gridId', '网格', 'grid', p.gridId))
    out.push(...refIssue(pointKinds, 'riskPoints', p.id, 'kind', '风险点类型', 'risk point kind', p.kind))
  }
  const resources = idSet(facilities.resourceKinds)
  for (const d of facilities.depots) {
    d.items.forEach((item, i) =>
      out.push(...refIssue(resources, 'stock', `${d.id}#${i + 1}`, 'kind', '物资类型', 'resource kind', item.kind)))
  }
  return out
}
