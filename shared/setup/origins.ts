import type { PackageProblem } from './package.ts'

// Where each record of a package came from, so a check on the package can point at the row to fix. The codec
// fills this while reading; checks name a section, a record id and a field, and `locate` turns that into a place.

export interface RecordOrigin {
  file: string
  sheet?: string
  /** Excel row (header = 1), or the 1-based feature / array position in a JSON file. */
  row?: number
}

export interface PackageOrigins {
  /** Keyed by `section:id` (see `originKey`). */
  records: Map<string, RecordOrigin>
  /** Per section, the column header (or property name) of each field; a field without one is shown as is. */
  columns: Record<string, Record<string, string>>
  /** Where a section lives when a record has no origin of its own (e.g. a package built in code). */
  sections: Record<string, RecordOrigin>
}

export function emptyOrigins(): PackageOrigins {
  return { records: new Map(), columns: {}, sections: {} }
}

export const originKey = (section: string, id: string): string => `${section}:${id}`

/** One finding of a check, before it is placed. */
export interface Issue {
  section: string
  id: string
  field?: string
  code: string
  reason: string
  reasonEn: string
}

export function locate(issue: Issue, origins: PackageOrigins): PackageProblem {
  const at = origins.records.get(originKey(issue.section, issue.id)) ?? origins.sections[issue.section] ?? { file: issue.section }
  const column = issue.field === undefined ? undefined : origins.columns[issue.section]?.[issue.field] ?? issue.field
  return {
    file: at.file,
    ...(at.sheet !== undefined ? { sheet: at.sheet } : {}),
    ...(at.row !== undefined ? { row: at.row } : {}),
    ...(column !== undefined ? { column } : {}),
    ...(issue.id ? { id: issue.id } : {}),
    code: issue.code,
    reason: issue.reason,
    reasonEn: issue.reasonEn,
  }
}
