import type { PackageProblem, SourceCrs, SubdistrictPackage } from '../../../shared/setup/package.ts'
import type { Table } from './table.ts'
import { emptyOrigins, originKey } from '../../../shared/setup/origins.ts'
import { validatePackage } from '../../../shared/setup/validate.ts'
import { attributesFile, OPEN311_FILE, withAttributes } from '../../open311/package-file.ts'
import { readSensors, SENSORS_FILE, sensorsFile } from '../../sensors/package-file.ts'
import { parseCsv, writeCsv } from './csv.ts'
import { DUPLICATES_FILE, readDuplicates } from './duplicates-json.ts'
import { fromGcj02 } from './gcj02.ts'
import { readGeo } from './geojson-parts.ts'
import { GeoReader } from './geojson-read.ts'
import { writeGeojson } from './geojson-write.ts'
import { INFOREPORTS_FILE, readInfoReports } from './inforeports-json.ts'
import { jsonFile, readPlans, readScoring } from './json-files.ts'
import { FILES, SHEETS } from './layout.ts'
import { readCalendar, readCategories, readStock, readVocab } from './read-catalog.ts'
import { ReadContext } from './read-context.ts'
import { readOrg } from './read-org.ts'
import { readSettings } from './read-settings.ts'
import { toTable } from './table.ts'
import { buildSheets } from './write-sheets.ts'
import { readWorkbook, writeWorkbook } from './xlsx.ts'

// The subdistrict package (辖区数据包) as files, both ways (docs/package-format.md). Reading checks everything
// before it answers: a package comes back whole, or not at all with every problem found.

export interface PackageFile { name: string, data: Buffer }
export { FILES, SHEETS } from './layout.ts'

/** Problems that leave too little to check references on: validation would only repeat them. */
const STRUCTURAL = new Set(['unreadable_file', 'missing_file', 'missing_sheet', 'missing_column'])

function missingFile(file: string, zh = '', en = ''): PackageProblem {
  return { file, code: 'missing_file', reason: `缺少文件 ${file}${zh}`, reasonEn: `missing file ${file}${en}` }
}

async function readTables(files: Map<string, Buffer>, problems: PackageProblem[]): Promise<{ tables: Map<string, Table>, fileOf: (sheet: string) => string } | null> {
  const workbook = files.get(FILES.workbook)
  if (workbook) {
    try {
      return { tables: await readWorkbook(FILES.workbook, workbook), fileOf: () => FILES.workbook }
    }
    catch (e) {
      problems.push({ file: FILES.workbook, code: 'unreadable_file', reason: `无法读取工作簿：${(e as Error).message}`, reasonEn: `cannot read the workbook: ${(e as Error).message}` })
      return null
    }
  }
  const csvs = Object.values(SHEETS).filter(s => files.has(`${s}.csv`))
  if (csvs.length === 0) {
    problems.push(missingFile(FILES.workbook, '（或每张表一个 CSV 文件）', ' (or one CSV file per sheet)'))
    return null
  }
  const tables = new Map<string, Table>()
  for (const sheet of csvs)
    tables.set(sheet, toTable(`${sheet}.csv`, sheet, parseCsv(files.get(`${sheet}.csv`)!)))
  return { tables, fileOf: sheet => `${sheet}.csv` }
}

export async function readPackage(list: PackageFile[], opts: { crs?: SourceCrs } = {}): Promise<{ pkg: SubdistrictPackage | null, problems: PackageProblem[] }> {
  const files = new Map(list.map(f => [f.name.split(/[/\\]/).pop()!, f.data]))
  const problems: PackageProblem[] = []
  const origins = emptyOrigins()
  for (const f of [FILES.communities, FILES.grids, FILES.facilities, FILES.plans, FILES.scoring]) {
    if (!files.has(f))
      problems.push(missingFile(f))
  }
  const tabular = await readTables(files, problems)
  if (!tabular)
    return { pkg: null, problems }

  const ctx = new ReadContext(tabular.tables, problems, origins, tabular.fileOf)
  const settings = readSettings(ctx)
  const org = readOrg(ctx)
  const vocab = readVocab(ctx)
  const categories = withAttributes(readCategories(ctx, org.posts), files.get(OPEN311_FILE), problems)
  const stock = readStock(ctx)
  const calendar = readCalendar(ctx)
  const geo = readGeo(new GeoReader(problems, origins, opts.crs), files)
  const plans = readPlans(files.get(FILES.plans), problems, origins)
  const scoring = readScoring(files.get(FILES.scoring), problems, origins)
  const duplicates = readDuplicates(files.get(DUPLICATES_FILE), problems)
  const inforeports = readInfoReports(files.get(INFOREPORTS_FILE), problems)
  const sensors = readSensors(files.get(SENSORS_FILE), new Set(geo.grids.map(g => g.id)), problems)

  const depots = new Map(geo.depots.map(d => [d.id, d]))
  for (const s of stock.rows) {
    const depot = depots.get(s.depotId)
    if (!depot) {
      if (s.depotId)
        stock.reject(s, `未知的储备点：${s.depotId}`, `unknown depot ${s.depotId}`)
      continue
    }
    depot.items.push({ kind: s.kind, qty: s.qty })
    origins.records.set(originKey('stock', `${depot.id}#${depot.items.length}`), { file: stock.file, sheet: SHEETS.stock, row: s.at.row })
  }
  const crs = settings?.crs ?? opts.crs
  if (crs === 'GCJ02') {
    for (const u of org.forceUnits) u.base = fromGcj02(u.base)
    if (settings)
      settings.subdistrict.center = fromGcj02(settings.subdistrict.center)
  }

  if (!settings || !scoring || problems.some(p => STRUCTURAL.has(p.code)))
    return { pkg: null, problems }
  const pkg: SubdistrictPackage = {
    format: 1,
    reference: {
      territory: { subdistrict: settings.subdistrict, communities: geo.communities, grids: geo.grids },
      org,
      facilities: { depots: geo.depots, stations: geo.stations, riskPoints: geo.riskPoints, shelters: geo.shelters, ...vocab },
    },
    categories,
    plans,
    scoring,
    headline: settings.headline,
    ...(duplicates ? { duplicates } : {}),
    ...(inforeports ? { inforeports } : {}),
    ...(sensors ? { sensors } : {}),
  }
  if (calendar)
    pkg.calendar = calendar
  problems.push(...validatePackage(pkg, origins))
  return problems.length > 0 ? { pkg: null, problems } : { pkg, problems }
}

export async function writePackage(pkg: SubdistrictPackage, opts: { tabular?: 'xlsx' | 'csv' } = {}): Promise<PackageFile[]> {
  const geo = writeGeojson(pkg)
  const sheets = buildSheets(pkg)
  const tabular = opts.tabular === 'csv'
    ? sheets.map(s => ({ name: `${s.sheet}.csv`, data: writeCsv([s.headers, ...s.rows]) }))
    : [{ name: FILES.workbook, data: await writeWorkbook(sheets) }]
  return [
    { name: FILES.communities, data: geo.communities },
    { name: FILES.grids, data: geo.grids },
    { name: FILES.facilities, data: geo.facilities },
    ...tabular,
    { name: FILES.plans, data: jsonFile(pkg.plans) },
    { name: FILES.scoring, data: jsonFile(pkg.scoring) },
    ...attributesFile(pkg.categories),
    ...(pkg.duplicates ? [{ name: DUPLICATES_FILE, data: jsonFile(pkg.duplicates) }] : []),
    ...(pkg.inforeports ? [{ name: INFOREPORTS_FILE, data: jsonFile(pkg.inforeports) }] : []),
    ...sensorsFile(pkg.sensors),
  ]
}
