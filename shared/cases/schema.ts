import type { Static } from 'typebox'
import { Type } from 'typebox'
import { QueueQuery } from '../desk/schema.ts'
import { PackageProblemT } from '../setup/schema.ts'

// Cases in and out (#16): the export takes the desk's filters (every page of them), the import answers what it
// did or, row by row, what stops it.

export const CaseFormat = Type.Union([Type.Literal('xlsx'), Type.Literal('csv'), Type.Literal('geojson')])
export type CaseFormat = Static<typeof CaseFormat>

const { page: _page, pageSize: _size, ...filters } = QueueQuery.properties
export const CaseExportQuery = Type.Object({ ...filters, format: Type.Optional(CaseFormat) }, { additionalProperties: false })
export type CaseExportQuery = Static<typeof CaseExportQuery>

/** An export is bounded: more than this many cases is narrowed with the filters. */
export const EXPORT_MAX = 100_000
/** An import is bounded too: rows in one file. */
export const IMPORT_MAX = 100_000

export const CaseImportQuery = Type.Object({
  /** Check every row and answer what would be imported, writing nothing. */
  dryRun: Type.Optional(Type.Union([Type.Boolean(), Type.Literal('1'), Type.Literal('0')])),
}, { additionalProperties: false })

export const SkippedCase = Type.Object({
  row: Type.Integer(),
  id: Type.String(),
  sourceId: Type.Optional(Type.String()),
  reason: Type.String(),
  reasonEn: Type.String(),
})

export const CaseImportAnswer = Type.Object({
  dryRun: Type.Boolean(),
  /** Rows read from the incidents sheet. */
  rows: Type.Integer({ minimum: 0 }),
  /** Cases written (or, in a dry run, that would be). */
  imported: Type.Integer({ minimum: 0 }),
  /** History steps written with them. */
  steps: Type.Integer({ minimum: 0 }),
  /** Cases already in the store (same id or same source number): reported, never written twice. */
  skipped: Type.Array(SkippedCase),
  /** What stops the import, by row and column; an import with any problem writes nothing. */
  problems: Type.Array(PackageProblemT),
  /** The ids of the cases written, in row order (first 1,000). */
  ids: Type.Array(Type.String()),
})
export type CaseImportAnswer = Static<typeof CaseImportAnswer>
