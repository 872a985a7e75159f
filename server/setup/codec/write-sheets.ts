import type { SubdistrictPackage } from '../../../shared/setup/package.ts'
import type { SheetKey } from './layout.ts'
import type { Cell, SheetOut } from './table.ts'
import { postsOf } from '../../../shared/organisation/catalog.ts'
import { COLUMNS, DEADLINE_STATES, LIST_SEPARATOR, LOOP_NAMES, RESPONSIBILITY_NAMES, SETTINGS, SEVERITIES, SHEETS, VOCAB_TYPES } from './layout.ts'

// The package's tabular part as sheets, in the workbook's order. The same rows go to xlsx or CSV.

const list = (items: readonly string[]): string => items.join(LIST_SEPARATOR)
const opt = (v: string | undefined): Cell => v ?? null

function sheet(key: SheetKey, rows: Cell[][]): SheetOut {
  return { sheet: SHEETS[key], headers: Object.values(COLUMNS[key].headers), rows }
}

export function buildSheets(pkg: SubdistrictPackage): SheetOut[] {
  const { territory, org, facilities } = pkg.reference
  const s = territory.subdistrict
  const settings: Record<keyof typeof SETTINGS, Cell> = {
    format: pkg.format,
    id: s.id,
    name: s.name,
    nameEn: s.nameEn,
    code: s.code,
    centerLon: s.center.lon,
    centerLat: s.center.lat,
    wallTitle: s.wallTitle,
    wallTitleEn: s.wallTitleEn,
    capAreaCodes: list(s.capAreaCodes),
    capAreaNames: list(s.capAreaNames),
    headline: list(pkg.headline),
    crs: 'WGS84',
  }
  return [
    sheet('settings', Object.entries(SETTINGS).map(([k, label]) => [label, settings[k] ?? null])),
    sheet('sectors', org.sectors.map(x => [x.id, x.name, x.nameEn])),
    sheet('posts', org.posts.map(p => [p.id, p.sectorId, p.name, p.nameEn])),
    sheet('people', org.people.map(p => [p.id, p.name, list(p.roles), p.title, opt(p.sectorId), opt(p.postId), opt(p.communityId), opt(p.forceKind), opt(p.forceUnitId), opt(p.phone), p.smartphone === false ? '否' : null])),
    sheet('rosters', org.rosters.map(r => [r.gridId, r.workerId, r.instructorId, r.contactLeaderId])),
    sheet('liaisons', org.rosters.flatMap(r => r.liaisons.map(l => [r.gridId, l.kind, l.personId]))),
    sheet('forceKinds', org.forceKinds.map(k => [k.id, k.name, k.nameEn])),
    sheet('forceUnits', org.forceUnits.map(u => [u.id, u.kind, u.name, list(u.memberIds), u.base.lon, u.base.lat])),
    sheet('categories', pkg.categories.map((c) => {
      const posts = postsOf(c.responsibility).map(p => p.postId)
      const lead = c.responsibility.type === 'single' || c.responsibility.type === 'cross' ? posts[0] ?? '' : ''
      return [
        c.code,
        c.name,
        c.nameEn,
        SEVERITIES[c.severity - 1] ?? String(c.severity),
        LOOP_NAMES[c.loop],
        RESPONSIBILITY_NAMES[c.responsibility.type],
        lead || null,
        c.responsibility.type === 'cross' ? list(posts.slice(1)) || null : null,
        ...DEADLINE_STATES.map(st => c.deadlines[st] ?? null),
        c.weight,
        ...DEADLINE_STATES.map(st => c.workdays?.[st] ?? null),
      ]
    })),
    sheet('vocab', (Object.keys(VOCAB_TYPES) as (keyof typeof VOCAB_TYPES)[]).flatMap(type =>
      facilities[type].map(v => [VOCAB_TYPES[type], v.id, v.name, v.nameEn]))),
    sheet('stock', facilities.depots.flatMap(d => d.items.map(i => [d.id, i.kind, i.qty]))),
    ...(pkg.calendar
      ? [sheet('calendar', [
          ...pkg.calendar.holidays.map(d => [d, '休', null]),
          ...pkg.calendar.workdays.map(d => [d, '班', null]),
        ])]
      : []),
  ]
}
