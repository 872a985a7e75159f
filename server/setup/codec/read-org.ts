import type { ForceUnit, GridRoster, Person, Post, RoleKey, Sector, Vocabulary } from '../../../shared/territory/types.ts'
import type { SheetReader } from './cells.ts'
import type { ReadContext } from './read-context.ts'
import type { Row } from './table.ts'
import { roleFrom } from '../../../shared/setup/roles.ts'
import { LAT, LON } from './cells.ts'

// 板块, 岗位, 人员, 网格力量, 网格联络人, 力量类别, 力量单位.

export interface OrgSheets {
  sectors: Sector[]
  posts: Post[]
  people: Person[]
  rosters: GridRoster[]
  forceKinds: Vocabulary[]
  forceUnits: ForceUnit[]
}

export function readNamed(ctx: ReadContext, r: SheetReader | null, section: string, row: Row): Vocabulary {
  const id = r!.text(row, 'id', '', true)
  ctx.record(section, id, r!, row)
  return { id, name: r!.text(row, 'name', id, true), nameEn: r!.text(row, 'nameEn', id) }
}

function readPerson(ctx: ReadContext, r: SheetReader, row: Row): Person {
  const id = r.text(row, 'id', '', true)
  ctx.record('people', id, r, row)
  const roles: RoleKey[] = []
  for (const text of r.list(row, 'roles')) {
    const role = roleFrom(text)
    if (role)
      roles.push(role)
    else
      r.problem(row, 'roles', id, 'bad_value', `未知的角色“${text}”`, `unknown role "${text}"`)
  }
  if (roles.length === 0 && r.text(row, 'roles') === '')
    r.text(row, 'roles', id, true)
  const person: Person = { id, name: r.text(row, 'name', id, true), roles, title: r.text(row, 'title', id) }
  for (const key of ['sectorId', 'postId', 'communityId', 'forceKind', 'forceUnitId', 'phone'] as const) {
    const v = r.text(row, key, id)
    if (v)
      person[key] = v
  }
  // 智能手机: 否/无/no marks a person the notification ladder reaches by SMS alone (#17); blank or 是 = has one.
  if (/^(?:[否无]|no|[n0]|false)$/i.test(r.text(row, 'smartphone', id)))
    person.smartphone = false
  return person
}

export function readOrg(ctx: ReadContext): OrgSheets {
  const sectorsR = ctx.sheet('sectors')
  const postsR = ctx.sheet('posts')
  const peopleR = ctx.sheet('people')
  const rostersR = ctx.sheet('rosters')
  const liaisonsR = ctx.sheet('liaisons')
  const kindsR = ctx.sheet('forceKinds')
  const unitsR = ctx.sheet('forceUnits')

  const rosters: GridRoster[] = (rostersR?.rows ?? []).map((row) => {
    const gridId = rostersR!.text(row, 'gridId', '', true)
    ctx.record('rosters', gridId, rostersR!, row)
    const person = (key: string): string => rostersR!.text(row, key, gridId, true)
    return { gridId, workerId: person('workerId'), instructorId: person('instructorId'), contactLeaderId: person('contactLeaderId'), liaisons: [] }
  })
  const byGrid = new Map(rosters.map(r => [r.gridId, r]))
  for (const row of liaisonsR?.rows ?? []) {
    const gridId = liaisonsR!.text(row, 'gridId', '', true)
    const roster = byGrid.get(gridId)
    if (!roster) {
      if (gridId)
        liaisonsR!.problem(row, 'gridId', gridId, 'unknown_reference', `网格 ${gridId} 不在“网格力量”表中`, `grid ${gridId} has no row in the roster sheet`)
      continue
    }
    ctx.record('liaisons', `${gridId}#${roster.liaisons.length + 1}`, liaisonsR!, row)
    roster.liaisons.push({ kind: liaisonsR!.text(row, 'kind', gridId, true), personId: liaisonsR!.text(row, 'personId', gridId, true) })
  }

  const forceUnits: ForceUnit[] = (unitsR?.rows ?? []).map((row) => {
    const r = unitsR!
    const id = r.text(row, 'id', '', true)
    ctx.record('forceUnits', id, r, row)
    return {
      id,
      kind: r.text(row, 'kind', id, true),
      name: r.text(row, 'name', id, true),
      memberIds: r.list(row, 'memberIds'),
      base: { lon: r.num(row, 'baseLon', id, { required: true, ...LON }) ?? Number.NaN, lat: r.num(row, 'baseLat', id, { required: true, ...LAT }) ?? Number.NaN },
    }
  })

  return {
    sectors: (sectorsR?.rows ?? []).map(row => readNamed(ctx, sectorsR, 'sectors', row)),
    posts: (postsR?.rows ?? []).map((row) => {
      const { id, name, nameEn } = readNamed(ctx, postsR, 'posts', row)
      return { id, sectorId: postsR!.text(row, 'sectorId', id, true), name, nameEn }
    }),
    people: (peopleR?.rows ?? []).map(row => readPerson(ctx, peopleR!, row)),
    rosters,
    forceKinds: (kindsR?.rows ?? []).map(row => readNamed(ctx, kindsR, 'forceKinds', row)),
    forceUnits,
  }
}
