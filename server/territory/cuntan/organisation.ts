import type { ForceKind, Grid, GridRoster, LngLat, Organisation, Person, Territory } from '../../../shared/territory/types.ts'
import type { Rng } from '../../kernel/random.ts'
import type { Forces } from './forces.ts'
import type { NameBook } from './names.ts'
import type { GridLayout } from './territory.ts'
import { DEFAULT_CATALOG } from '../../../shared/organisation/catalog.ts'
import { buildForces } from './forces.ts'
import { CUNTAN_FORCE_KINDS } from './vocab.ts'

// The organisation from the source: commander → 4 sectors → posts; 12 leadership members contact (包联) grids,
// 57 cadres instruct grids (网格指导员), 127 full-time grid workers (专职网格员), one per grid.

export const CONTACT_LEADERS = 12
export const INSTRUCTORS = 57
const OPERATORS = 6

/** Kinds every grid roster names; the others are named where a seeded draw says the grid has one. */
const ALWAYS: readonly ForceKind[] = ['water', 'power', 'gas', 'fire', 'volunteer', 'supervisor']
const SOMETIMES: readonly ForceKind[] = ['telecom', 'property', 'finance']

const pad = (n: number, width = 2): string => String(n).padStart(width, '0')

/** Cuts `items` into consecutive runs of the given lengths. */
function runs<T>(items: readonly T[], lengths: number[]): T[][] {
  let at = 0
  return lengths.map((n) => {
    const run = items.slice(at, at + n)
    at += n
    return run
  })
}

/** Instructors per community: 2–3 grids each, 57 in all, every instructor's grids in one community. */
function instructorLoads(gridCounts: number[]): number[][] {
  const perCommunity = gridCounts.map(n => Math.ceil(n / 3))
  let spare = INSTRUCTORS - perCommunity.reduce((s, k) => s + k, 0)
  for (let i = 0; spare > 0; i = (i + 1) % gridCounts.length) {
    if (2 * (perCommunity[i]! + 1) <= gridCounts[i]!) {
      perCommunity[i]! += 1
      spare--
    }
  }
  return perCommunity.map((k, i) => {
    const n = gridCounts[i]!
    return Array.from({ length: k }, (_, j) => (j < n - 2 * k ? 3 : 2))
  })
}

function distance2(a: LngLat, b: LngLat): number {
  return (a.lon - b.lon) ** 2 + (a.lat - b.lat) ** 2
}

function liaisonsFor(rng: Rng, grid: Grid, forces: Forces, turn: Map<string, number>): GridRoster['liaisons'] {
  const kinds = [...ALWAYS, ...SOMETIMES.filter(() => rng.chance(0.6))]
  return kinds.map((kind) => {
    const candidates = forces.units.filter(u => u.kind === kind && (kind !== 'volunteer' || forces.unitCommunity.get(u.id) === grid.communityId))
    const unit = candidates.reduce((best, u) => (distance2(u.base, grid.center) < distance2(best.base, grid.center) ? u : best))
    const k = turn.get(unit.id) ?? 0
    turn.set(unit.id, k + 1)
    return { kind, personId: unit.memberIds[k % unit.memberIds.length]! }
  })
}

export function buildOrganisation(rng: Rng, book: NameBook, territory: Territory, layout: Map<string, GridLayout>): Organisation {
  const { sectors, posts } = DEFAULT_CATALOG
  const people: Person[] = []
  const add = (p: Omit<Person, 'name' | 'phone'>): Person => {
    const person: Person = { ...p, name: book.name(), phone: book.phone() }
    people.push(person)
    return person
  }

  add({ id: 'cmd-01', roles: ['commander'], title: '指挥长（街道党工委书记）' })
  for (let i = 1; i <= OPERATORS; i++)
    add({ id: `op-${pad(i)}`, roles: ['operator'], title: '指挥中心值班员' })
  for (const sector of sectors)
    add({ id: `sl-${sector.id}`, roles: ['sector_lead'], title: `${sector.name}板块负责人`, sectorId: sector.id })
  const leaders = Array.from({ length: CONTACT_LEADERS }, (_, i) =>
    add({ id: `ld-${pad(i + 1)}`, roles: ['leader'], title: '包联领导（街道班子成员）' }))
  let staffNo = 0
  for (const post of posts) {
    for (let k = rng.int(2, 3); k > 0; k--)
      add({ id: `ps-${pad(++staffNo)}`, roles: ['post_staff'], title: post.name, sectorId: post.sectorId, postId: post.id })
  }
  staffNo = 0
  for (const community of territory.communities) {
    for (let k = rng.int(2, 3), j = 0; j < k; j++) {
      const title = j === 0 ? `${community.name}党委书记` : '社区专职工作者'
      add({ id: `cs-${pad(++staffNo)}`, roles: ['community_staff'], title, communityId: community.id })
    }
  }

  // Instructors are subdistrict cadres (机关干部): they keep their home sector and work in their grids' community.
  const byCommunity = territory.communities.map(c => territory.grids.filter(g => g.communityId === c.id))
  const instructorOf = new Map<string, string>()
  let instructorNo = 0
  instructorLoads(byCommunity.map(g => g.length)).forEach((loads, i) => {
    const community = territory.communities[i]!
    for (const run of runs(byCommunity[i]!, loads)) {
      const sector = sectors[instructorNo % sectors.length]!
      const instructor = add({ id: `gi-${pad(++instructorNo)}`, roles: ['community_staff'], title: '网格指导员', sectorId: sector.id, communityId: community.id })
      for (const grid of run)
        instructorOf.set(grid.id, instructor.id)
    }
  })

  const leaderLoads = rng.shuffle(Array.from({ length: CONTACT_LEADERS }, (_, i) =>
    i < territory.grids.length % CONTACT_LEADERS ? Math.ceil(territory.grids.length / CONTACT_LEADERS) : Math.floor(territory.grids.length / CONTACT_LEADERS)))
  const leaderOf = new Map<string, string>()
  runs(territory.grids, leaderLoads).forEach((run, i) => run.forEach(g => leaderOf.set(g.id, leaders[i]!.id)))

  const workerOf = new Map<string, string>()
  territory.grids.forEach((grid, i) => {
    workerOf.set(grid.id, add({ id: `gw-${pad(i + 1, 3)}`, roles: ['grid_worker'], title: '专职网格员', communityId: grid.communityId }).id)
  })

  const gridCommunity = new Map(territory.grids.map(g => [g.id, g.communityId]))
  const forces = buildForces(rng, book, territory.communities, layout, gridCommunity)
  people.push(...forces.members)

  const turn = new Map<string, number>()
  const rosters: GridRoster[] = territory.grids.map(grid => ({
    gridId: grid.id,
    workerId: workerOf.get(grid.id)!,
    instructorId: instructorOf.get(grid.id)!,
    contactLeaderId: leaderOf.get(grid.id)!,
    liaisons: liaisonsFor(rng, grid, forces, turn),
  }))

  return { sectors: structuredClone(sectors), posts: structuredClone(posts), people, rosters, forceKinds: structuredClone(CUNTAN_FORCE_KINDS), forceUnits: forces.units }
}
