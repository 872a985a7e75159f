import type { Community, ForceKind, ForceUnit, Person } from '../../../shared/territory/types.ts'
import type { Rng } from '../../kernel/random.ts'
import type { NameBook } from './names.ts'
import type { GridLayout } from './territory.ts'
import { pointIn } from './outline.ts'

// "Grid + N forces" (网格+N力量): the 8 kinds from the source plus grid supervisors (网格监督员).
// Unit names are invented but shaped like the real utilities, carriers and banks that staff them.

const UNITS: Record<string, { names: string[], title: string, size: [number, number] }> = {
  water: { names: ['江北供水寸滩抢修班', '江北排水寸滩管网养护队'], title: '供排水抢修员', size: [4, 10] },
  power: { names: ['寸滩供电所抢修班', '港城配电运维班'], title: '电力抢修员', size: [4, 10] },
  gas: { names: ['江北燃气寸滩抢险站'], title: '燃气抢险员', size: [5, 10] },
  telecom: { names: ['移动寸滩网格服务队', '电信寸滩装维班', '联通寸滩装维班'], title: '通信保障员', size: [3, 6] },
  fire: { names: ['寸滩消防救援站', '寸滩街道微型消防站'], title: '消防救援员', size: [6, 12] },
  property: { names: ['港城物业服务中心', '兰溪花园物业服务处', '海尔路小区物业服务处', '滨江名苑物业服务处'], title: '物业管理员', size: [3, 8] },
  finance: { names: ['农商行寸滩支行金融网格服务队', '建行寸滩支行金融网格服务队'], title: '金融网格员', size: [3, 6] },
  supervisor: { names: ['寸滩街道网格监督员队（滨江片）', '寸滩街道网格监督员队（内陆片）'], title: '网格监督员', size: [6, 12] },
}

export interface Forces {
  units: ForceUnit[]
  members: Person[]
  /** Volunteer teams belong to a community; ForceUnit itself does not say so. */
  unitCommunity: Map<string, string>
}

export function buildForces(rng: Rng, book: NameBook, communities: Community[], layout: Map<string, GridLayout>, gridCommunity: Map<string, string>): Forces {
  const units: ForceUnit[] = []
  const members: Person[] = []
  const unitCommunity = new Map<string, string>()
  const gridIds = [...layout.keys()]
  let memberNo = 0

  const addUnit = (kind: ForceKind, name: string, title: string, size: [number, number], baseGridId: string): void => {
    const id = `fu-${kind}-${units.filter(u => u.kind === kind).length + 1}`
    const communityId = kind === 'volunteer' ? gridCommunity.get(baseGridId) : undefined
    if (communityId)
      unitCommunity.set(id, communityId)
    const memberIds: string[] = []
    for (let k = rng.int(size[0], size[1]); k > 0; k--) {
      const personId = `fm-${String(++memberNo).padStart(3, '0')}`
      memberIds.push(personId)
      members.push({
        id: personId,
        name: book.name(),
        roles: ['force_member'],
        title: memberIds.length === 1 ? `${title}（队长）` : title,
        ...(communityId ? { communityId } : {}),
        forceKind: kind,
        forceUnitId: id,
        phone: book.phone(),
      })
    }
    const cell = layout.get(baseGridId)!.cell
    units.push({ id, kind, name, memberIds, base: pointIn(cell, rng.float(0.3, 0.7), rng.float(0.3, 0.7)) })
  }

  for (const [kind, spec] of Object.entries(UNITS)) {
    for (const name of spec.names)
      addUnit(kind, name, spec.title, spec.size, rng.pick(gridIds))
  }
  for (const community of communities) {
    const own = gridIds.filter(id => gridCommunity.get(id) === community.id)
    addUnit('volunteer', `${community.name}志愿服务队`, '志愿者', [6, 12], rng.pick(own))
  }
  return { units, members, unitCommunity }
}
