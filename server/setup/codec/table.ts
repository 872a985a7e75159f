// One sheet as the reader sees it, whether it came from the workbook or a CSV file: headers and numbered rows.

export type Cell = string | number | boolean | null

export interface Row {
  /** As Excel shows it: the header is row 1. */
  row: number
  cells: Map<string, Cell>
}

export interface Table {
  file: string
  sheet: string
  headers: string[]
  rows: Row[]
}

/** What a writer produces for one sheet: headers and rows of cells in header order. */
export interface SheetOut {
  sheet: string
  headers: string[]
  rows: Cell[][]
}

export function isBlank(c: Cell | undefined): boolean {
  return c === null || c === undefined || (typeof c === 'string' && c.trim() === '')
}

export function toTable(file: string, sheet: string, grid: Cell[][], rowNumbers?: number[]): Table {
  const headers = (grid[0] ?? []).map(h => (h === null ? '' : String(h).trim()))
  const rows: Row[] = []
  grid.slice(1).forEach((values, i) => {
    if (values.every(v => isBlank(v)))
      return
    const cells = new Map<string, Cell>()
    headers.forEach((h, k) => {
      if (h)
        cells.set(h, values[k] ?? null)
    })
    rows.push({ row: rowNumbers?.[i + 1] ?? i + 2, cells })
  })
  return { file, sheet, headers, rows }
}
