import type { PackageProblem } from '../../../shared/setup/package.ts'
import type { Cell, Row, Table } from './table.ts'
import { isBlank } from './table.ts'

// Reads typed values out of one sheet's rows; every value it cannot use becomes a problem naming its cell.

export function problemAt(t: { file: string, sheet?: string }, code: string, reason: string, reasonEn: string, at: { row?: number, column?: string, id?: string } = {}): PackageProblem {
  return {
    file: t.file,
    ...(t.sheet !== undefined ? { sheet: t.sheet } : {}),
    ...(at.row !== undefined ? { row: at.row } : {}),
    ...(at.column !== undefined ? { column: at.column } : {}),
    ...(at.id ? { id: at.id } : {}),
    code,
    reason,
    reasonEn,
  }
}

/** Longitude and latitude ranges: a swapped pair in China puts the latitude out of range. */
export const LON = { min: -180, max: 180 }
export const LAT = { min: -90, max: 90 }

export class SheetReader {
  /** False when a required column is missing: the caller skips the sheet's rows. */
  readonly ok: boolean
  constructor(
    readonly table: Table,
    readonly headers: Record<string, string>,
    required: string[],
    readonly problems: PackageProblem[],
  ) {
    const missing = required.filter(k => !table.headers.includes(headers[k]!))
    for (const k of missing)
      problems.push(problemAt(table, 'missing_column', `缺少列“${headers[k]}”`, `missing column "${headers[k]}"`, { row: 1, column: headers[k] }))
    this.ok = missing.length === 0
  }

  get rows(): Row[] {
    return this.ok ? this.table.rows : []
  }

  private cell(row: Row, key: string): Cell {
    return row.cells.get(this.headers[key]!) ?? null
  }

  private bad(row: Row, key: string, id: string, code: string, zh: string, en: string): void {
    this.problems.push(problemAt(this.table, code, zh, en, { row: row.row, column: this.headers[key], id }))
  }

  /** Trimmed text; '' when blank. A required blank is a problem. */
  text(row: Row, key: string, id = '', required = false): string {
    const c = this.cell(row, key)
    if (isBlank(c)) {
      if (required)
        this.bad(row, key, id, 'missing_value', `“${this.headers[key]}”不能为空`, `"${this.headers[key]}" must not be empty`)
      return ''
    }
    return String(c).trim()
  }

  /** A number (a cell or its text); undefined when blank or not a number (the latter is a problem). */
  num(row: Row, key: string, id: string, opts: { required?: boolean, integer?: boolean, min?: number, max?: number } = {}): number | undefined {
    const raw = this.text(row, key, id, opts.required)
    if (raw === '')
      return undefined
    const n = Number(raw)
    if (!Number.isFinite(n) || (opts.integer && !Number.isInteger(n)) || (opts.min !== undefined && n < opts.min) || (opts.max !== undefined && n > opts.max)) {
      const what = opts.integer ? '整数' : '数字'
      const whatEn = opts.integer ? 'an integer' : 'a number'
      const floor = opts.max !== undefined ? `（${opts.min} 至 ${opts.max}）` : opts.min !== undefined ? `（不小于 ${opts.min}）` : ''
      const floorEn = opts.max !== undefined ? ` from ${opts.min} to ${opts.max}` : opts.min !== undefined ? ` of at least ${opts.min}` : ''
      this.bad(row, key, id, 'bad_value', `“${raw}”不是有效的${what}${floor}`, `"${raw}" is not ${whatEn}${floorEn}`)
      return undefined
    }
    return n
  }

  /** One of the allowed values, given as the key or its Chinese name. */
  choice<K extends string>(row: Row, key: string, id: string, names: Record<K, string>, required = true): K | undefined {
    const raw = this.text(row, key, id, required)
    if (raw === '')
      return undefined
    const hit = (Object.keys(names) as K[]).find(k => k === raw || names[k] === raw)
    if (hit === undefined) {
      const allowed = Object.values<string>(names).join('、')
      this.bad(row, key, id, 'bad_value', `“${raw}”不是可选值（${allowed}）`, `"${raw}" is not one of ${Object.keys(names).join(', ')}`)
    }
    return hit
  }

  /** A ;-separated list (full-width ； too), blanks dropped. */
  list(row: Row, key: string): string[] {
    return this.text(row, key).split(/[;；]/).map(s => s.trim()).filter(Boolean)
  }

  problem(row: Row, key: string, id: string, code: string, zh: string, en: string): void {
    this.bad(row, key, id, code, zh, en)
  }
}
