import type { RowReader } from '../../shared/cases/cells.ts'
import type { CaseColumn, Cell } from '../../shared/cases/columns.ts'
import type { CaseLookup, ParsedIncident } from '../../shared/cases/from-row.ts'
import type { HistoryEntry as Entry, Incident } from '../../shared/incident/schema.ts'
import type { PackageProblem } from '../../shared/setup/package.ts'
import type { Table } from '../setup/codec/table.ts'
import { createHash } from 'node:crypto'
import { Type } from 'typebox'
import { CASE_COLUMNS, HISTORY_COLUMNS, HISTORY_JSON_COLUMN, keysOfHeaders, SHEETS } from '../../shared/cases/columns.ts'
import { historyOfRow, incidentOfRow } from '../../shared/cases/from-row.ts'
import { historyProblems, synthesiseHistory } from '../../shared/cases/replay.ts'
import { IMPORT_MAX } from '../../shared/cases/schema.ts'
import { HistoryEntry, Incident as IncidentT } from '../../shared/incident/schema.ts'
import { compileCheck } from '../http/validation.ts'
import { newId } from '../incident/service.ts'
import { problemAt } from '../setup/codec/cells.ts'
import { parseCsv } from '../setup/codec/csv.ts'
import { toTable } from '../setup/codec/table.ts'
import { readWorkbook } from '../setup/codec/xlsx.ts'
import { FORMULA_RE } from './export.ts'

// An uploaded file of cases read into rows by column key, then checked row by row into the cases to write. Nothing
// here touches the store: the service asks which cases are already there and commits.

export interface CaseRow { row: number, cells: Map<string, Cell> }
export interface CaseSheets { file: string, incidents: CaseRow[], incidentsSheet: string, history: CaseRow[] | null, historySheet: string, problems: PackageProblem[] }

function keyed(t: Table, columns: CaseColumn[], unguard: boolean): CaseRow[] {
  const keys = keysOfHeaders(t.headers, columns)
  return t.rows.map((r) => {
    const cells = new Map<string, Cell>()
    t.headers.forEach((h, i) => {
      const k = keys[i]
      let v = r.cells.get(h) ?? null
      if (unguard && typeof v === 'string' && v.startsWith('\'') && FORMULA_RE.test(v.slice(1)))
        v = v.slice(1)
      if (k)
        cells.set(k, v)
    })
    return { row: r.row, cells }
  })
}

/** XLSX (by its zip signature), GeoJSON (a JSON object) or CSV, whatever the file is called. */
export async function readCaseFile(file: string, data: Buffer): Promise<CaseSheets> {
  const problems: PackageProblem[] = []
  const out = (incidents: CaseRow[], history: CaseRow[] | null, sheet: string = SHEETS.incidents): CaseSheets => ({ file, incidents, incidentsSheet: sheet, history, historySheet: SHEETS.history, problems })
  if (data.subarray(0, 2).toString('latin1') === 'PK') {
    // The package codec's reader (the whole workbook in memory): exceljs's streamed reader is faster but garbles a
    // Chinese character split across two chunks of a large sheet.
    const tables = await readWorkbook(file, data).then(m => [...m.values()]).catch((e: unknown) => {
      problems.push(problemAt({ file }, 'unreadable', `无法读取工作簿：${(e as Error).message}`, `the workbook cannot be read: ${(e as Error).message}`))
      return []
    })
    // Sheets are told apart by their columns, whatever they are called: the history names its incident and action.
    const has = (t: Table, columns: CaseColumn[], keys: string[]) => keys.every(k => keysOfHeaders(t.headers, columns).includes(k))
    const hist = tables.find(t => has(t, HISTORY_COLUMNS, ['incidentId', 'action']))
    const inc = tables.find(t => t !== hist && has(t, CASE_COLUMNS, ['description'])) ?? tables.find(t => t !== hist)
    if (!inc && !problems.length)
      problems.push(problemAt({ file }, 'missing_sheet', '工作簿中没有 incidents 工作表', 'the workbook has no incidents sheet'))
    return out(inc ? keyed(inc, [...CASE_COLUMNS, HISTORY_JSON_COLUMN], false) : [], hist ? keyed(hist, HISTORY_COLUMNS, false) : null, inc?.sheet)
  }
  const text = data.toString('utf8').replace(/^\uFEFF/, '').trimStart()
  if (text.startsWith('{'))
    return out(readGeoJson(file, text, problems), null)
  return out(keyed(toTable(file, SHEETS.incidents, parseCsv(data)), [...CASE_COLUMNS, HISTORY_JSON_COLUMN], true), null)
}

/** A feature per case; its number in the collection (from 1) stands for the row. */
function readGeoJson(file: string, text: string, problems: PackageProblem[]): CaseRow[] {
  let fc: { features?: unknown }
  try {
    fc = JSON.parse(text) as { features?: unknown }
  }
  catch (e) {
    problems.push(problemAt({ file }, 'bad_json', `不是有效的 GeoJSON：${(e as Error).message}`, `not valid GeoJSON: ${(e as Error).message}`))
    return []
  }
  const features = Array.isArray(fc.features) ? fc.features as { properties?: Record<string, unknown>, geometry?: { coordinates?: unknown } }[] : []
  return features.map((f, i) => {
    const cells = new Map<string, Cell>()
    for (const [k, v] of Object.entries(f.properties ?? {}))
      cells.set(k, v === null || ['string', 'number', 'boolean'].includes(typeof v) ? v as Cell : JSON.stringify(v))
    const xy = f.geometry?.coordinates
    if (Array.isArray(xy) && cells.get('lon') == null) {
      cells.set('lon', Number(xy[0]))
      cells.set('lat', Number(xy[1]))
    }
    return { row: i + 1, cells }
  })
}

/** One case ready to write: the incident as it ends up (its version is its number of steps) and its steps. */
export interface PlannedCase { row: number, incident: Incident, history: Entry[], sourceId?: string }

const checkIncident = compileCheck(IncidentT)
const checkHistory = compileCheck(Type.Array(HistoryEntry))
/** Which column a schema error inside the incident belongs to. */
const COLUMN_OF: Record<string, string> = { location: 'lon', owner: 'loop', labels: 'categoryName', hotline: 'hotlineOrderNo' }

/** A case without an id of its own gets one from its source number, so importing the same file again finds it. */
export const idFromSource = (sourceId: string) => `imp_${createHash('sha256').update(sourceId).digest('hex').slice(0, 20)}`

export function planImport(sheets: CaseSheets, lookup: CaseLookup, labels: (inc: Incident) => Incident['labels'], now: Date): { cases: PlannedCase[], problems: PackageProblem[] } {
  const problems = [...sheets.problems]
  const at = (sheet: string, row: number, key: string, id?: string) => (code: string, zh: string, en: string) =>
    problems.push(problemAt({ file: sheets.file, sheet }, code, zh, en, { row, column: key, id }))
  const reader = (r: CaseRow, sheet: string): RowReader => ({ get: k => r.cells.get(k) ?? null, bad: (k, code, zh, en) => at(sheet, r.row, k)(code, zh, en) })
  if (sheets.incidents.length > IMPORT_MAX)
    at(sheets.incidentsSheet, 1, 'id')('too_many', `一次最多导入 ${IMPORT_MAX} 行，请分批`, `at most ${IMPORT_MAX} rows per import: split the file`)
  if (problems.length)
    return { cases: [], problems }

  // The history sheet, grouped by the incident it names (its id or its source number), in step order.
  const steps = new Map<string, { step: number, row: number, entry: Entry }[]>()
  for (const r of sheets.history ?? []) {
    const h = historyOfRow(reader(r, sheets.historySheet))
    if (h)
      steps.set(h.ref, [...(steps.get(h.ref) ?? []), { step: h.step ?? r.row, row: r.row, entry: h.entry }])
  }
  const cases: PlannedCase[] = []
  const seen = new Map<string, number>()
  for (const r of sheets.incidents) {
    const rd = reader(r, sheets.incidentsSheet)
    const parsed = incidentOfRow(rd, lookup)
    if (!parsed)
      continue
    const history = historyOf(parsed, r, rd, steps, sheets.history !== null)
    if (!history)
      continue
    const { sourceId, ...fields } = parsed
    const id = parsed.id || (sourceId ? idFromSource(sourceId) : newId(now))
    const first = seen.get(id)
    if (first !== undefined) {
      rd.bad(parsed.id ? 'id' : 'sourceId', 'duplicate_id', `与第 ${first} 行重复（${id}）`, `the same case as row ${first} (${id})`)
      continue
    }
    seen.set(id, r.row)
    const incident: Incident = { ...fields, id, version: history.length, updatedAt: fields.updatedAt || history.at(-1)!.at }
    // A resident reached for feedback without a way recorded reads `null`, a case never asked reads nothing.
    if (incident.feedbackContact === undefined && history.some(e => e.action === 'feedback'))
      incident.feedbackContact = null
    if (!incident.address)
      incident.address = [incident.labels?.community, incident.labels?.grid].filter(Boolean).join(' ')
    const named = labels(incident)
    if (named && Object.keys(named).length)
      incident.labels = named
    const wrong = checkIncident(incident)
    if (wrong) {
      const top = wrong.field.split('.')[0]!
      rd.bad(COLUMN_OF[top] ?? top, 'bad_value', `取值无效：${wrong.message}`, wrong.message)
      continue
    }
    cases.push({ row: r.row, incident, history, ...(sourceId ? { sourceId } : {}) })
  }
  // A step naming no case of the file would be dropped without a word: it is a problem of its own.
  const named = new Set(sheets.incidents.flatMap(r => [r.cells.get('id'), r.cells.get('sourceId')].map(v => (v === null || v === undefined ? '' : String(v).trim())).filter(Boolean)))
  for (const [ref, list] of steps) {
    if (!named.has(ref))
      at(sheets.historySheet, list[0]!.row, 'incidentId')('unknown_incident', `事件“${ref}”不在 incidents 工作表中`, `case "${ref}" is not in the incidents sheet`)
  }
  return { cases, problems }
}

/** Its steps from the history sheet, or its `history` JSON column, or (neither) made up from its state. */
function historyOf(inc: ParsedIncident, r: CaseRow, rd: RowReader, sheet: Map<string, { step: number, entry: Entry }[]>, hasSheet: boolean): Entry[] | null {
  let history: Entry[] = []
  const raw = r.cells.get('history')
  if (typeof raw === 'string' && raw.trim()) {
    let value: unknown
    try {
      value = JSON.parse(raw)
    }
    catch {
      rd.bad('history', 'bad_json', '处置记录不是有效的 JSON 数组', 'the history is not a JSON array')
      return null
    }
    const wrong = checkHistory(value)
    if (wrong) {
      rd.bad('history', 'bad_value', `处置记录有误：${wrong.message}`, `the history is wrong: ${wrong.message}`)
      return null
    }
    history = value as Entry[]
  }
  else if (hasSheet) {
    const found = (inc.id ? sheet.get(inc.id) : undefined) ?? (inc.sourceId ? sheet.get(inc.sourceId) : undefined) ?? []
    history = found.sort((a, b) => a.step - b.step).map(s => s.entry)
  }
  if (history.length === 0)
    history = synthesiseHistory(inc)
  const wrong = historyProblems(inc, history)
  if (wrong.length) {
    for (const p of wrong) rd.bad('history', 'bad_history', p.zh, p.en)
    return null
  }
  return history
}
