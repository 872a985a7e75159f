import type { CaseColumn, Cell } from '../../shared/cases/columns.ts'
import type { IncidentWithHistory } from '../../shared/incident/schema.ts'
import { CASE_COLUMNS, header, HISTORY_COLUMNS, HISTORY_JSON_COLUMN, SHEETS } from '../../shared/cases/columns.ts'
import { historyRows, incidentRow } from '../../shared/cases/to-row.ts'
import { writeCsv } from '../setup/codec/csv.ts'
import { writeWorkbook } from '../setup/codec/xlsx.ts'

// Cases written out: XLSX (an `incidents` sheet and a `history` sheet, one row per step), CSV (one file, the steps
// as a JSON column) and GeoJSON (a point per case, the steps in properties.history). Headers are `中文 key`.

export const CASE_TYPES = {
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  csv: 'text/csv; charset=utf-8',
  geojson: 'application/geo+json',
} as const

/** The columns a caller gets: the personal ones only for those who may read personal data. */
export const columnsFor = (personal: boolean): CaseColumn[] => CASE_COLUMNS.filter(c => personal || !c.personal)

const cellsOf = (row: Record<string, Cell>, cols: CaseColumn[]): Cell[] => cols.map(c => row[c.key] ?? null)

/** A text cell a spreadsheet would run as a formula is written with a leading ' (the import takes it off again). */
export const FORMULA_RE = /^[=+\-@\t\r]/
const guard = (c: Cell): Cell => (typeof c === 'string' && FORMULA_RE.test(c) ? `'${c}` : c)

export async function casesWorkbook(incidents: IncidentWithHistory[], personal: boolean, notes?: Cell[][]): Promise<Buffer> {
  const cols = columnsFor(personal)
  const sheets: { sheet: string, headers: string[], rows: Cell[][] }[] = [
    { sheet: SHEETS.incidents, headers: cols.map(header), rows: incidents.map(i => cellsOf(incidentRow(i, personal), cols)) },
    { sheet: SHEETS.history, headers: HISTORY_COLUMNS.map(header), rows: incidents.flatMap(i => historyRows(i).map(r => cellsOf(r, HISTORY_COLUMNS))) },
  ]
  if (notes)
    sheets.push({ sheet: SHEETS.notes, headers: ['列 column', '说明 notes'], rows: notes })
  return writeWorkbook(sheets)
}

export function casesCsv(incidents: IncidentWithHistory[], personal: boolean): Buffer {
  const cols = [...columnsFor(personal), HISTORY_JSON_COLUMN]
  return writeCsv([
    cols.map(header),
    ...incidents.map(i => cellsOf({ ...incidentRow(i, personal), history: JSON.stringify(i.history) }, cols).map(guard)),
  ])
}

export function casesGeoJson(incidents: IncidentWithHistory[], personal: boolean): Buffer {
  const cols = columnsFor(personal)
  const features = incidents.map((i) => {
    const row = incidentRow(i, personal)
    return {
      type: 'Feature',
      id: i.id,
      geometry: { type: 'Point', coordinates: [i.location.lon, i.location.lat] },
      properties: { ...Object.fromEntries(cols.map(c => [c.key, row[c.key] ?? null])), history: i.history },
    }
  })
  return Buffer.from(JSON.stringify({ type: 'FeatureCollection', features }), 'utf8')
}
