import type { VulnerableBody, VulnerableCategory } from '../../shared/resources/schema.ts'
import type { PackageProblem } from '../../shared/setup/package.ts'
import type { Grid } from '../../shared/territory/types.ts'
import type { Cell, Table } from '../setup/codec/table.ts'
import { VULNERABLE_CATEGORIES } from '../../shared/resources/schema.ts'
import { problemAt } from '../setup/codec/cells.ts'
import { parseCsv } from '../setup/codec/csv.ts'
import { isBlank, toTable } from '../setup/codec/table.ts'
import { readWorkbook } from '../setup/codec/xlsx.ts'

// The register from a spreadsheet (XLSX, or CSV in UTF-8): one person a row, checked row by row. Headers in Chinese
// or as the field's key; the grid by its id or its name; the category by its Chinese name or its key.

export const REGISTER_COLUMNS: Record<keyof VulnerableBody, string> = {
  gridId: '网格',
  category: '类别',
  name: '姓名',
  address: '地址',
  phone: '电话',
  guardian: '监护人',
  notes: '备注',
}
export const CATEGORY_NAMES: Record<VulnerableCategory, string> = { elderly_alone: '独居老人', disabled: '残疾人', bedridden: '卧床' }

const LIMITS: Record<keyof VulnerableBody, number> = { gridId: 60, category: 30, name: 60, address: 200, phone: 40, guardian: 100, notes: 500 }

export interface ReadRegister { rows: { row: number, body: VulnerableBody }[], problems: PackageProblem[] }

async function tableOf(file: string, data: Buffer): Promise<Table | [string, string]> {
  if (data.subarray(0, 2).toString('latin1') === 'PK') {
    try {
      return [...(await readWorkbook(file, data)).values()][0] ?? ['工作簿是空的', 'the workbook is empty']
    }
    catch (e) {
      return [`无法读取工作簿：${(e as Error).message}`, `the workbook cannot be read: ${(e as Error).message}`]
    }
  }
  return toTable(file, 'register', parseCsv(data))
}

const text = (c: Cell | undefined): string => (isBlank(c ?? null) ? '' : String(c).trim())

/** Every row as a body, or the problems naming the rows (and columns) to fix. */
export async function readRegister(file: string, data: Buffer, grids: readonly Grid[]): Promise<ReadRegister> {
  const table = await tableOf(file, data)
  if (Array.isArray(table))
    return { rows: [], problems: [problemAt({ file }, 'unreadable', table[0], table[1])] }
  const keys = Object.keys(REGISTER_COLUMNS) as (keyof VulnerableBody)[]
  const headerOf = new Map<keyof VulnerableBody, string>()
  for (const k of keys) {
    const h = table.headers.find(h => h === REGISTER_COLUMNS[k] || h === k)
    if (h)
      headerOf.set(k, h)
  }
  const problems: PackageProblem[] = []
  for (const k of ['gridId', 'category', 'name'] as const) {
    if (!headerOf.has(k))
      problems.push(problemAt(table, 'missing_column', `缺少列「${REGISTER_COLUMNS[k]}」`, `the column ${REGISTER_COLUMNS[k]} (${k}) is missing`, { row: 1, column: REGISTER_COLUMNS[k] }))
  }
  if (problems.length)
    return { rows: [], problems }
  const rows: ReadRegister['rows'] = []
  for (const r of table.rows) {
    const v = Object.fromEntries(keys.map(k => [k, text(headerOf.has(k) ? r.cells.get(headerOf.get(k)!) : null)])) as Record<keyof VulnerableBody, string>
    const bad = (k: keyof VulnerableBody, code: string, reason: string, reasonEn: string) => problems.push(problemAt(table, code, reason, reasonEn, { row: r.row, column: REGISTER_COLUMNS[k] }))
    const before = problems.length
    const grid = grids.find(g => g.id === v.gridId || g.name === v.gridId)
    if (!grid)
      bad('gridId', 'unknown_reference', `没有网格「${v.gridId}」`, `no grid ${v.gridId || '(empty)'}`)
    const category = VULNERABLE_CATEGORIES.find(c => c === v.category || CATEGORY_NAMES[c] === v.category)
    if (!category)
      bad('category', 'bad_value', `类别应为 ${Object.values(CATEGORY_NAMES).join('、')}`, `the category must be one of ${VULNERABLE_CATEGORIES.join(', ')}`)
    if (!v.name)
      bad('name', 'required', '姓名为空', 'the name is empty')
    for (const k of keys) {
      if (v[k].length > LIMITS[k])
        bad(k, 'too_long', `超过 ${LIMITS[k]} 个字`, `longer than ${LIMITS[k]} characters`)
    }
    if (problems.length === before)
      rows.push({ row: r.row, body: { ...v, gridId: grid!.id, category: category! } })
  }
  return { rows, problems }
}
