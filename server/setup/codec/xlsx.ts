import type { Cell, SheetOut, Table } from './table.ts'
import ExcelJS from 'exceljs'
import { toTable } from './table.ts'
import { fixZipDates } from './zip-dates.ts'

// The workbook through exceljs: every sheet becomes a Table; writing gives the same bytes for the same package.

/** Fixed workbook dates, so a regenerated package diffs clean. */
const STAMP = new Date('2026-01-01T00:00:00Z')

function plain(v: ExcelJS.CellValue): Cell {
  if (v === null || v === undefined)
    return null
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean')
    return v
  if (v instanceof Date)
    return v.toISOString()
  if (typeof v === 'object') {
    if ('richText' in v)
      return v.richText.map(r => r.text).join('')
    if ('result' in v)
      return plain(v.result as ExcelJS.CellValue)
    if ('text' in v)
      return String(v.text)
    if ('error' in v)
      return null
  }
  return String(v)
}

export async function readWorkbook(file: string, data: Buffer): Promise<Map<string, Table>> {
  const wb = new ExcelJS.Workbook()
  await wb.xlsx.load(data as unknown as ArrayBuffer)
  const tables = new Map<string, Table>()
  wb.eachSheet((ws) => {
    const grid: Cell[][] = []
    const numbers: number[] = []
    ws.eachRow({ includeEmpty: false }, (row, rowNumber) => {
      const values: Cell[] = []
      for (let c = 1; c <= row.cellCount; c++)
        values.push(plain(row.getCell(c).value))
      grid.push(values)
      numbers.push(rowNumber)
    })
    // The header is the first non-empty row; it is row 1 in any sheet we wrote.
    tables.set(ws.name.trim(), toTable(file, ws.name.trim(), grid, numbers))
  })
  return tables
}

export async function writeWorkbook(sheets: SheetOut[]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook()
  wb.creator = 'OneScreen'
  wb.created = STAMP
  wb.modified = STAMP
  for (const s of sheets) {
    const ws = wb.addWorksheet(s.sheet, { views: [{ state: 'frozen', ySplit: 1 }] })
    ws.addRow(s.headers).font = { bold: true }
    for (const r of s.rows)
      ws.addRow(r.map(c => (c === null ? null : c)))
    ws.columns.forEach((col, i) => {
      col.width = Math.min(40, Math.max(8, ...[s.headers[i], ...s.rows.slice(0, 50).map(r => r[i])].map(v => 2 * String(v ?? '').length)))
    })
  }
  const buf = Buffer.from(await wb.xlsx.writeBuffer())
  return fixZipDates(buf)
}
