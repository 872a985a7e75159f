import type { PackageOrigins } from '../../../shared/setup/origins.ts'
import type { PackageProblem } from '../../../shared/setup/package.ts'
import type { SheetKey } from './layout.ts'
import type { Row, Table } from './table.ts'
import { originKey } from '../../../shared/setup/origins.ts'
import { SheetReader } from './cells.ts'
import { COLUMNS, OPTIONAL_SHEETS, SHEETS } from './layout.ts'

// What the sheet readers share: the tables found, the problems so far and the origins of every record.

export class ReadContext {
  constructor(
    readonly tables: Map<string, Table>,
    readonly problems: PackageProblem[],
    readonly origins: PackageOrigins,
    /** Where a missing sheet would be: the workbook, or for CSV the sheet's own file. */
    readonly fileOf: (sheet: string) => string,
  ) {}

  /** The sheet's reader, or null (a problem) when the sheet is missing. */
  sheet(key: SheetKey, sections: string[] = [key]): SheetReader | null {
    const name = SHEETS[key]
    const table = this.tables.get(name)
    for (const s of sections)
      this.origins.columns[s] = COLUMNS[key].headers
    if (!table) {
      if (OPTIONAL_SHEETS.includes(key))
        return null
      const file = this.fileOf(name)
      this.problems.push({ file, sheet: name, code: 'missing_sheet', reason: `缺少工作表“${name}”`, reasonEn: `missing sheet "${name}"` })
      return null
    }
    for (const s of sections)
      this.origins.sections[s] = { file: table.file, sheet: table.sheet }
    return new SheetReader(table, COLUMNS[key].headers, COLUMNS[key].required, this.problems)
  }

  record(section: string, id: string, r: SheetReader, row: Row): void {
    this.origins.records.set(originKey(section, id), { file: r.table.file, sheet: r.table.sheet, row: row.row })
  }
}
