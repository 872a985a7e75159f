import type { CaseColumn, Cell } from '../../shared/cases/columns.ts'
import type { IncidentWithHistory } from '../../shared/incident/schema.ts'
import { PassThrough } from 'node:stream'
import ExcelJS from 'exceljs'
import { CASE_COLUMNS, header, HISTORY_COLUMNS, HISTORY_JSON_COLUMN, SHEETS } from '../../shared/cases/columns.ts'
import { historyRows, incidentRow } from '../../shared/cases/to-row.ts'
import { writeCsv } from '../setup/codec/csv.ts'

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

/** Wide columns for long text; the rest fit a time or an id. */
const WIDE = new Set(['description', 'address', 'attributes', 'hotlineRequests', 'hotlineMarks', 'hotlineReplyText', 'note', 'data', 'photos', 'resultPhotos'])

/**
 * Streamed through exceljs's workbook writer, not the package codec's in-memory one (server/setup/codec/xlsx.ts):
 * an export runs to 100,000 cases and their steps, and the streamed writer takes half the time and little memory.
 */
export async function casesWorkbook(incidents: IncidentWithHistory[], personal: boolean, notes?: Cell[][]): Promise<Buffer> {
  const cols = columnsFor(personal)
  const out = new PassThrough()
  const chunks: Buffer[] = []
  out.on('data', (c: Buffer) => chunks.push(c))
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useSharedStrings: false, useStyles: true })
  wb.creator = 'OneScreen 一屏统揽'
  const sheet = (name: string, columns: CaseColumn[], rows: Iterable<Cell[]>) => {
    const ws = wb.addWorksheet(name, { views: [{ state: 'frozen', ySplit: 1 }] })
    ws.columns = columns.map(c => ({ key: c.key, width: WIDE.has(c.key) ? 40 : Math.max(12, Math.min(26, header(c).length * 1.6)) }))
    const head = ws.addRow(columns.map(header))
    head.font = { bold: true }
    head.commit()
    for (const r of rows) ws.addRow(r).commit()
    ws.commit()
  }
  sheet(SHEETS.incidents, cols, incidents.map(i => cellsOf(incidentRow(i, personal), cols)))
  sheet(SHEETS.history, HISTORY_COLUMNS, (function* () {
    for (const i of incidents) {
      for (const r of historyRows(i)) yield cellsOf(r, HISTORY_COLUMNS)
    }
  })())
  if (notes)
    sheet(SHEETS.notes, [{ key: 'column', zh: '列' }, { key: 'notes', zh: '说明' }], notes)
  await wb.commit()
  return Buffer.concat(chunks)
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
