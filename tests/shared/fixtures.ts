import type { Actor, Incident } from '../../shared/incident/schema.ts'
import type { Catalog } from '../../shared/organisation/catalog.ts'
import type { Community, Grid, PolygonRings, ReferenceData } from '../../shared/territory/types.ts'
import { bboxOf } from '../../shared/kernel/geo.ts'
import { DEFAULT_CATALOG } from '../../shared/organisation/catalog.ts'
import { GridIndex } from '../../shared/territory/geo.ts'

function middle(polygon: number[][][]) {
  const b = bboxOf(polygon)
  return { lon: (b.minX + b.maxX) / 2, lat: (b.minY + b.maxY) / 2 }
}

// A tiny subdistrict: two communities side by side, each split into a south and a north grid.
//   lat 29.60 ┌──────┬──────┐
//             │ a-n  │ b-n ▫│   ▫ = a hole in b-n (a park outside every grid)
//   lat 29.59 ├──────┼──────┤
//             │ a-s  │ b-s  │
//   lat 29.58 └──────┴──────┘
//        lon 106.60  106.61  106.62

export function square(minX: number, minY: number, maxX: number, maxY: number): number[][] {
  return [[minX, minY], [maxX, minY], [maxX, maxY], [minX, maxY], [minX, minY]]
}

function grid(id: string, communityId: string, polygon: PolygonRings): Grid {
  return { id, communityId, name: `${id} 网格`, polygon, center: middle(polygon), riskTags: [], households: 300 }
}

function community(id: string, name: string, polygon: PolygonRings): Community {
  return { id, name, nameEn: id, polygon, center: middle(polygon) }
}

export const PARK = { lon: 106.615, lat: 29.595 }

export const GRIDS: Grid[] = [
  grid('a-s', 'a', [square(106.60, 29.58, 106.61, 29.59)]),
  grid('a-n', 'a', [square(106.60, 29.59, 106.61, 29.60)]),
  grid('b-s', 'b', [square(106.61, 29.58, 106.62, 29.59)]),
  grid('b-n', 'b', [square(106.61, 29.59, 106.62, 29.60), square(106.614, 29.594, 106.616, 29.596)]),
]

export const REFERENCE: ReferenceData = {
  territory: {
    subdistrict: { id: 'test', name: '测试街道', nameEn: 'Test', code: '000000', center: { lon: 106.61, lat: 29.59 }, wallTitle: '', wallTitleEn: '', capAreaCodes: [], capAreaNames: [] },
    communities: [
      community('a', '甲社区', [square(106.60, 29.58, 106.61, 29.60)]),
      community('b', '乙社区', [square(106.61, 29.58, 106.62, 29.60)]),
    ],
    grids: GRIDS,
  },
  org: { sectors: DEFAULT_CATALOG.sectors, posts: DEFAULT_CATALOG.posts, people: [], rosters: [], forceKinds: [], forceUnits: [] },
  facilities: { depots: [], stations: [], riskPoints: [], shelters: [], riskTags: [], riskPointKinds: [], resourceKinds: [] },
}

export const NOW = new Date('2024-07-10T08:00:00.000Z')

export function minutesAfter(base: Date, minutes: number): Date {
  return new Date(base.getTime() + minutes * 60_000)
}

export const WORKER: Actor = { personId: 'p-worker', role: 'grid_worker' }
export const OPERATOR: Actor = { personId: 'p-operator', role: 'operator' }
export const ADMIN: Actor = { personId: 'p-admin', role: 'admin' }

export function routingContext(catalog: Catalog = DEFAULT_CATALOG, now: Date = NOW) {
  return { now, catalog, grids: new GridIndex(GRIDS), reference: REFERENCE, device: 'test-phone' }
}

/** An incident in any state, owned by grid a-s unless overridden. */
export function makeIncident(overrides: Partial<Incident> = {}): Incident {
  return {
    id: 'inc-1',
    version: 1,
    category: 'noise',
    title: '噪音扰民',
    description: '楼下装修噪音',
    severity: 4,
    location: { lon: 106.605, lat: 29.585 },
    address: '甲社区 a-s 网格',
    channel: 'grid_worker',
    reporterId: WORKER.personId,
    state: 'reported',
    owner: { loop: 'grid', communityId: 'a', gridId: 'a-s', sectorId: null, postId: null, helperSectorIds: [], assigneeId: null },
    reportedAt: NOW.toISOString(),
    updatedAt: NOW.toISOString(),
    acceptedAt: null,
    resolvedAt: null,
    closedAt: null,
    stageDeadline: minutesAfter(NOW, 60).toISOString(),
    escalations: 0,
    reopenCount: 0,
    mergedInto: null,
    satisfied: null,
    ...overrides,
  }
}
