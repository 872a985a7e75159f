// `npx tsx scripts/make-jialing.ts` — writes the Jialing test package (tests/fixtures/packages/jialing/).
// INVENTED: 嘉陵街道 is a made-up subdistrict; its shape differs from the demo's in every count, so tests that
// pass on both cannot lean on anything the demo happens to have (4 sectors, 9 force kinds, 127 grids, …).
import type { Category, Responsibility } from '../shared/organisation/catalog.ts'
import type { SubdistrictPackage } from '../shared/setup/package.ts'
import type { Community, Grid, GridRoster, LngLat, Person } from '../shared/territory/types.ts'
import { mkdir, rm, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { writePackage } from '../server/setup/codec/index.ts'
import { JIALING_PLANS, JIALING_SCORING, JIALING_VOCAB } from '../tests/fixtures/packages/jialing-data.ts'

const W = 106.07 // west edge, about 130 km north of the demo's territory
const S = 30.79
const CW = 0.018 // community width and height in degrees
const CH = 0.014
const r6 = (v: number): number => Math.round(v * 1e6) / 1e6
function rect(x0: number, y0: number, x1: number, y1: number): number[][][] {
  return [[[r6(x0), r6(y0)], [r6(x1), r6(y0)], [r6(x1), r6(y1)], [r6(x0), r6(y1)], [r6(x0), r6(y0)]]]
}
const mid = (x0: number, y0: number, x1: number, y1: number): LngLat => ({ lon: r6((x0 + x1) / 2), lat: r6((y0 + y1) / 2) })
const pad = (n: number): string => String(n).padStart(2, '0')

const COMMUNITIES = [['cm-binjiang', '滨江社区', 'Binjiang', 5], ['cm-xishan', '西山社区', 'Xishan', 4], ['cm-huaguang', '华光社区', 'Huaguang', 5], ['cm-tongxin', '同心社区', 'Tongxin', 4]] as const
const TAGS = [['flood_plain'], ['steep_slope'], [], ['dilapidated', 'school_zone'], ['flood_plain', 'dilapidated']]
const SECTORS = [['governance', '综合治理', 'Governance'], ['services', '便民服务', 'Services'], ['safety', '应急安全', 'Safety']] as const
const POSTS = [['gov_petition', 'governance', '信访岗', 'Petitions'], ['gov_law', 'governance', '执法岗', 'Enforcement'], ['svc_social', 'services', '社保岗', 'Social security'], ['svc_health', 'services', '卫生岗', 'Health'], ['svc_property', 'services', '物业岗', 'Property'], ['saf_emergency', 'safety', '应急岗', 'Emergency'], ['saf_fire', 'safety', '消防岗', 'Fire safety']] as const
const UNITS = [['water_supply', '嘉陵水务抢修队'], ['power_grid', '嘉陵供电抢修班'], ['gas_service', '嘉陵燃气服务站'], ['fire_rescue', '嘉陵消防救援站'], ['medical', '嘉陵社区卫生服务中心'], ['volunteer_team', '嘉陵志愿服务队']] as const
const SURNAMES = '陈李张王刘杨赵黄周吴徐孙胡朱高林何郭马罗'
const GIVEN = ['建国', '秀英', '志强', '丽娟', '海波', '晓燕', '明轩', '雨桐', '俊杰', '婷婷', '国华', '文静']

function territory(): { communities: Community[], grids: Grid[] } {
  const communities: Community[] = []
  const grids: Grid[] = []
  COMMUNITIES.forEach(([id, name, nameEn, n], k) => {
    const x0 = W + (k % 2) * CW
    const y0 = S + Math.floor(k / 2) * CH
    communities.push({ id, name, nameEn, polygon: rect(x0, y0, x0 + CW, y0 + CH), center: mid(x0, y0, x0 + CW, y0 + CH) })
    for (let i = 0; i < n; i++) {
      const gx0 = x0 + i * CW / n
      const gx1 = i === n - 1 ? x0 + CW : x0 + (i + 1) * CW / n
      grids.push({ id: `jl-${id.slice(3)}-${i + 1}`, communityId: id, name: `${name}${i + 1}号网格`, polygon: rect(gx0, y0, gx1, y0 + CH), center: mid(gx0, y0, gx1, y0 + CH), riskTags: [...TAGS[(k + i) % TAGS.length]!], households: 200 + 35 * ((k * 7 + i * 3) % 11) })
    }
  })
  return { communities, grids }
}

export function buildJialingPackage(): SubdistrictPackage {
  const { communities, grids } = territory()
  const vocab = structuredClone(JIALING_VOCAB)
  let nameNo = 0
  const people: Person[] = []
  const add = (p: Omit<Person, 'name' | 'phone'>): string => {
    const n = nameNo++
    people.push({ ...p, name: SURNAMES[n % SURNAMES.length]! + GIVEN[(n * 5) % GIVEN.length]!, phone: `1380817${String(1000 + n * 37).padStart(4, '0')}` })
    return p.id
  }
  add({ id: 'jl-cmd', roles: ['commander'], title: '指挥长（街道党工委书记）' })
  add({ id: 'jl-op-1', roles: ['operator'], title: '值班员' })
  add({ id: 'jl-op-2', roles: ['operator', 'admin'], title: '值班长' })
  for (const [id, name] of SECTORS) add({ id: `jl-sl-${id}`, roles: ['sector_lead'], title: `${name}板块负责人`, sectorId: id })
  const leaders = [1, 2, 3].map(i => add({ id: `jl-ld-${i}`, roles: ['leader'], title: '包联领导' }))
  for (const [id, sectorId, name] of POSTS) add({ id: `jl-ps-${id}`, roles: ['post_staff'], title: name, sectorId, postId: id })
  for (const [id, name] of COMMUNITIES) add({ id: `jl-cs-${id.slice(3)}`, roles: ['community_staff'], title: `${name}书记`, communityId: id })
  const instructors = [1, 2, 3, 4, 5, 6].map(i => add({ id: `jl-gi-${i}`, roles: ['community_staff'], title: '网格指导员', sectorId: SECTORS[i % 3]![0] }))
  const workers = grids.map((g, i) => add({ id: `jl-gw-${pad(i + 1)}`, roles: ['grid_worker'], title: '专职网格员', communityId: g.communityId }))
  const forceUnits = UNITS.map(([kind, name], u) => {
    const memberIds = [1, 2, 3].map(m => add({ id: `jl-fm-${kind}-${m}`, roles: ['force_member'], title: m === 1 ? '队长' : '队员', forceKind: kind, forceUnitId: `jl-fu-${kind}` }))
    return { id: `jl-fu-${kind}`, kind, name, memberIds, base: grids[(u * 3) % grids.length]!.center }
  })
  const rosters: GridRoster[] = grids.map((g, i) => ({
    gridId: g.id,
    workerId: workers[i]!,
    instructorId: instructors[Math.floor(i / 3)]!,
    contactLeaderId: leaders[i % 3]!,
    liaisons: ['fire_rescue', 'water_supply', ...(i % 2 === 0 ? ['volunteer_team'] : [])].map(kind => ({ kind, personId: `jl-fm-${kind}-${(i % 3) + 1}` })),
  }))
  const at = (g: number, fx: number, fy: number): LngLat => {
    const ring = grids[g]!.polygon[0]!
    return { lon: r6(ring[0]![0]! + fx * (ring[1]![0]! - ring[0]![0]!)), lat: r6(ring[0]![1]! + fy * (ring[2]![1]! - ring[1]![1]!)) }
  }
  const single = (postId: string): Responsibility => ({ type: 'single', sectorId: POSTS.find(p => p[0] === postId)![1], postId })
  const ref = (postId: string) => ({ sectorId: POSTS.find(p => p[0] === postId)![1], postId })
  const deadlines = (k: number): Category['deadlines'] => ({ reported: 30 * k, accepted: 60 * k, assigned: 240 * k, handling: 1440 * k, resolved: 720 * k })
  const categories: Category[] = [
    { code: 'illegal_parking', name: '违章停车', nameEn: 'Illegal parking', severity: 4, loop: 'community', deadlines: deadlines(1), responsibility: single('gov_law'), weight: 12 },
    { code: 'petition_visit', name: '群众来访', nameEn: 'Petition visit', severity: 2, loop: 'subdistrict', deadlines: deadlines(2), responsibility: single('gov_petition'), weight: 4 },
    { code: 'property_complaint', name: '物业投诉', nameEn: 'Property complaint', severity: 3, loop: 'community', deadlines: deadlines(2), responsibility: single('svc_property'), weight: 9 },
    { code: 'waterlogging', name: '积水内涝', nameEn: 'Waterlogging', severity: 2, loop: 'subdistrict', deadlines: { reported: 10, accepted: 20, assigned: 60, handling: 240 }, responsibility: { type: 'cross', lead: ref('saf_emergency'), helpers: [ref('svc_property'), ref('gov_law')] }, weight: 3 },
    { code: 'fire_hazard', name: '消防隐患', nameEn: 'Fire hazard', severity: 1, loop: 'subdistrict', deadlines: { reported: 10, accepted: 20, assigned: 30, handling: 120 }, responsibility: { type: 'cross', lead: ref('saf_fire'), helpers: [ref('svc_property')] }, weight: 2 },
    { code: 'elderly_visit', name: '独居老人走访', nameEn: 'Elderly home visit', severity: 4, loop: 'community', deadlines: deadlines(3), responsibility: { type: 'community_task' }, weight: 6 },
    { code: 'broken_lamp', name: '路灯损坏', nameEn: 'Broken street lamp', severity: 4, loop: 'grid', deadlines: deadlines(1), responsibility: { type: 'grid_task' }, weight: 8 },
  ]
  return {
    format: 1,
    reference: {
      territory: {
        subdistrict: { id: 'jialing', name: '嘉陵街道', nameEn: 'Jialing (test data)', code: '511304007000', center: { lon: r6(W + CW), lat: r6(S + CH) }, wallTitle: '嘉陵街道社会治理联动中心', wallTitleEn: 'Jialing Subdistrict Joint Governance Center', capAreaCodes: ['511304007', '511304', '511300'], capAreaNames: ['嘉陵区', '南充市', 'Nanchong'] },
        communities,
        grids,
      },
      org: { sectors: SECTORS.map(([id, name, nameEn]) => ({ id, name, nameEn })), posts: POSTS.map(([id, sectorId, name, nameEn]) => ({ id, sectorId, name, nameEn })), people, rosters, forceKinds: vocab.forceKinds, forceUnits },
      facilities: {
        depots: [
          { id: 'jl-dp-1', name: '嘉陵街道应急仓库', location: at(2, 0.5, 0.5), items: [{ kind: 'pump', qty: 6 }, { kind: 'sandbag', qty: 1200 }, { kind: 'tent', qty: 20 }] },
          { id: 'jl-dp-2', name: '华光防汛物资点', location: at(11, 0.4, 0.6), items: [{ kind: 'sandbag', qty: 400 }, { kind: 'stretcher', qty: 0 }] },
        ],
        stations: COMMUNITIES.map(([id, name], k) => ({ id: `jl-st-${k + 1}`, name: `${name}网格驿站`, gridId: grids.find(g => g.communityId === id)!.id, location: at(grids.findIndex(g => g.communityId === id), 0.5, 0.3) })),
        riskPoints: [[0, 'culvert', '滨江路涵洞'], [5, 'retaining_wall', '西山挡墙'], [9, 'old_house', '华光巷12号危房'], [14, 'culvert', '同心桥涵洞'], [16, 'old_house', '同心街3号危房']].map(([g, kind, name], i) => ({ id: `jl-rp-${i + 1}`, name: name as string, kind: kind as string, gridId: grids[g as number]!.id, location: at(g as number, 0.3, 0.7) })),
        shelters: [{ id: 'jl-sh-1', name: '嘉陵中学避难场所', capacity: 900, location: at(7, 0.5, 0.5) }, { id: 'jl-sh-2', name: '同心广场避难场所', capacity: 450, location: at(16, 0.6, 0.4) }],
        riskTags: vocab.riskTags,
        riskPointKinds: vocab.riskPointKinds,
        resourceKinds: vocab.resourceKinds,
      },
    },
    categories,
    plans: structuredClone(JIALING_PLANS),
    scoring: structuredClone(JIALING_SCORING),
    headline: ['property_complaint', 'petition_visit'],
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  const dir = path.join(path.dirname(fileURLToPath(import.meta.url)), '../tests/fixtures/packages/jialing')
  await rm(dir, { recursive: true, force: true })
  await mkdir(dir, { recursive: true })
  for (const f of await writePackage(buildJialingPackage()))
    await writeFile(path.join(dir, f.name), f.data)
  console.log(`wrote ${dir}`)
}
