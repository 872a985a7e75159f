// `npm run bench -- --only=import`: reading a large subdistrict package (1,000 grids, 5,000 people) through
// readPackage — parse every file, build the package, validate it (references, rings, grid overlaps) — against
// the floor any reader pays: exceljs loading the same workbook plus JSON.parse of the GeoJSON and JSON files.
import type { SubdistrictPackage } from '../shared/setup/package.ts'
import type { Grid, GridRoster, Person } from '../shared/territory/types.ts'
import type { BenchOptions, BenchResult } from './lib/common.ts'
import { join } from 'node:path'
import ExcelJS from 'exceljs'
import { buildJialingPackage } from '../scripts/make-jialing.ts'
import { createAudit } from '../server/audit/service.ts'
import Database from '../server/db/sqlite/driver.ts'
import { createSqliteStore } from '../server/db/sqlite/store.ts'
import { readPackage, writePackage } from '../server/setup/codec/index.ts'
import { createLiveReference } from '../server/setup/live.ts'
import { createSetupService } from '../server/setup/service.ts'
import { alternate, benchDir, median, ms, now, times } from './lib/common.ts'

const COMMUNITIES = 20 // 5 × 4, each cut into 10 × 5 grids
const GRID_COLS = 10
const GRID_ROWS = 5
const PEOPLE = 5000
const UNIT_SIZE = 12
const r6 = (v: number): number => Math.round(v * 1e6) / 1e6
function rect(x0: number, y0: number, x1: number, y1: number): number[][][] {
  return [[[r6(x0), r6(y0)], [r6(x1), r6(y0)], [r6(x1), r6(y1)], [r6(x0), r6(y1)], [r6(x0), r6(y0)]]]
}

/** The Jialing package grown to city size: same vocabularies, categories, plans and scoring. */
export function bigPackage(): SubdistrictPackage {
  const pkg = buildJialingPackage()
  const { territory, org, facilities } = pkg.reference
  const cw = 0.02
  const ch = 0.015
  territory.communities = []
  const grids: Grid[] = []
  for (let c = 0; c < COMMUNITIES; c++) {
    const x0 = 106 + (c % 5) * cw
    const y0 = 30.7 + Math.floor(c / 5) * ch
    const id = `cm-${c + 1}`
    territory.communities.push({ id, name: `第${c + 1}社区`, nameEn: `Community ${c + 1}`, polygon: rect(x0, y0, x0 + cw, y0 + ch), center: { lon: r6(x0 + cw / 2), lat: r6(y0 + ch / 2) } })
    for (let k = 0; k < GRID_COLS * GRID_ROWS; k++) {
      const gx = x0 + (k % GRID_COLS) * cw / GRID_COLS
      const gy = y0 + Math.floor(k / GRID_COLS) * ch / GRID_ROWS
      grids.push({ id: `g-${c + 1}-${k + 1}`, communityId: id, name: `第${c + 1}社区${k + 1}号网格`, polygon: rect(gx, gy, gx + cw / GRID_COLS, gy + ch / GRID_ROWS), center: { lon: r6(gx + cw / GRID_COLS / 2), lat: r6(gy + ch / GRID_ROWS / 2) }, riskTags: k % 7 === 0 ? ['flood_plain'] : [], households: 300 + k })
    }
  }
  territory.grids = grids
  for (const plan of pkg.plans) {
    for (const t of plan.templates) t.communityIds = t.communityIds.length > 0 ? ['cm-1', 'cm-2'] : []
  }

  const people: Person[] = org.people.filter(p => !p.communityId && !p.forceUnitId && !p.roles.includes('community_staff'))
  const add = (p: Omit<Person, 'name' | 'phone'>): string => {
    people.push({ ...p, name: `人员${people.length + 1}`, phone: `139${String(people.length).padStart(8, '0')}` })
    return p.id
  }
  const leaders = Array.from({ length: 50 }, (_, i) => add({ id: `ld-${i}`, roles: ['leader'], title: '包联领导' }))
  const instructors = Array.from({ length: 250 }, (_, i) => add({ id: `gi-${i}`, roles: ['community_staff'], title: '网格指导员', communityId: `cm-${Math.floor(i / 12.5) + 1}` }))
  const workers = grids.map(g => add({ id: `gw-${g.id}`, roles: ['grid_worker'], title: '专职网格员', communityId: g.communityId }))
  const kinds = org.forceKinds.map(k => k.id)
  org.forceUnits = []
  for (let u = 0; people.length < PEOPLE; u++) {
    const kind = kinds[u % kinds.length]!
    const id = `fu-${u}`
    const memberIds = Array.from({ length: Math.min(UNIT_SIZE, PEOPLE - people.length) }, (_, m) => add({ id: `fm-${u}-${m}`, roles: ['force_member'], title: '队员', forceKind: kind, forceUnitId: id }))
    org.forceUnits.push({ id, kind, name: `力量单位${u}`, memberIds, base: grids[(u * 7) % grids.length]!.center })
  }
  org.people = people
  const unitsOf = (kind: string) => org.forceUnits.filter(u => u.kind === kind)
  org.rosters = grids.map((g, i): GridRoster => ({
    gridId: g.id,
    workerId: workers[i]!,
    instructorId: instructors[Math.floor(i / 4)]!,
    contactLeaderId: leaders[i % leaders.length]!,
    liaisons: kinds.slice(0, 4).map((kind) => {
      const units = unitsOf(kind)
      const unit = units[i % units.length]!
      return { kind, personId: unit.memberIds[i % unit.memberIds.length]! }
    }),
  }))
  facilities.stations = grids.filter((_, i) => i % 10 === 0).map((g, i) => ({ id: `st-${i}`, name: `${g.name}驿站`, gridId: g.id, location: g.center }))
  facilities.riskPoints = grids.filter((_, i) => i % 25 === 3).map((g, i) => ({ id: `rp-${i}`, name: `风险点${i}`, kind: 'culvert', gridId: g.id, location: g.center }))
  return pkg
}

export async function importPackage(opts: BenchOptions): Promise<BenchResult> {
  const rounds = opts.long ? 9 : 5
  const pkg = bigPackage()
  const files = await writePackage(pkg)
  const errors: string[] = []
  const check = await readPackage(files)
  if (!check.pkg)
    errors.push(`the generated package was refused: ${check.problems.slice(0, 3).map(p => `${p.file} ${p.sheet ?? ''} ${p.row ?? ''} ${p.code}`).join('; ')}`)
  const workbook = files.find(f => f.name === 'subdistrict.xlsx')!.data
  const json = files.filter(f => f.name.endsWith('json'))
  const timed = async (f: () => Promise<unknown>): Promise<number> => {
    const t0 = now()
    await f()
    return now() - t0
  }
  const { a: read, b: floor } = await alternate(rounds, () => timed(() => readPackage(files)), () => timed(async () => {
    await new ExcelJS.Workbook().xlsx.load(workbook as unknown as ArrayBuffer)
    for (const f of json) JSON.parse(f.data.toString('utf8'))
  }))
  // Applying it: the diff against an empty install, one durable commit of the version (package, plans, change) and the
  // swap every service reads through; against writing the same JSON durably to a bare SQLite table.
  const tmp = benchDir('import')
  let n = 0
  const { a: apply, b: write } = await alternate(rounds, async () => {
    const store = createSqliteStore({ file: join(tmp.dir, `apply-${n++}.sqlite`) })
    await store.migrate()
    const setup = createSetupService({ store, audit: createAudit(store.auth, () => new Date()), live: createLiveReference(), now: () => new Date() })
    const took = await timed(() => setup.seed(check.pkg ?? pkg, 'bench'))
    await store.close()
    return took
  }, async () => {
    const db = new Database(join(tmp.dir, `bare-${n++}.sqlite`))
    db.pragma('journal_mode = WAL')
    db.pragma('synchronous = FULL')
    db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, data TEXT NOT NULL)')
    const took = await timed(async () => db.prepare('INSERT INTO t (data) VALUES (?)').run(JSON.stringify(pkg)))
    db.close()
    return took
  })
  tmp.cleanup()
  const bytes = files.reduce((s, f) => s + f.data.length, 0)
  const o = pkg.reference.org
  return {
    name: `import (readPackage on ${pkg.reference.territory.grids.length} grids, ${o.people.length} people, ${o.rosters.length} rosters, ${o.rosters.reduce((s, r) => s + r.liaisons.length, 0)} liaisons, ${o.forceUnits.length} units; ${(bytes / 1e6).toFixed(1)} MB in ${files.length} files; ${rounds} rounds per side, alternating, median)`,
    rows: [
      { metric: 'read + validate the package', value: ms(median(read)), baseline: `${ms(median(floor))} to load the workbook and parse the JSON`, ratio: times(median(read) / median(floor)), goal: '', pass: null },
      { metric: 'apply it (diff, one durable commit, live swap)', value: ms(median(apply)), baseline: `${ms(median(write))} to write its JSON to a bare table`, ratio: times(median(apply) / median(write)), goal: '', pass: null },
    ],
    errors,
    notes: [`all runs (ms): read ${read.map(v => v.toFixed(0)).join(', ')}; floor ${floor.map(v => v.toFixed(0)).join(', ')}; apply ${apply.map(v => v.toFixed(0)).join(', ')}; bare write ${write.map(v => v.toFixed(0)).join(', ')}`],
  }
}
