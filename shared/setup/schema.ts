import type { Static } from 'typebox'
import { Type } from 'typebox'

// The reference version: one entity in the change log per applied package, so every wall and phone learns of a
// change live and loads the new reference. The package itself is stored beside it, by version (not in the log).

export const SectionCount = Type.Object({
  section: Type.String(),
  added: Type.Integer({ minimum: 0 }),
  changed: Type.Integer({ minimum: 0 }),
  removed: Type.Integer({ minimum: 0 }),
})

export const ReferenceVersion = Type.Object({
  /** Always `current`: one entity whose version is the applied package's version. */
  id: Type.Literal('current'),
  version: Type.Integer({ minimum: 1 }),
  appliedAt: Type.String(),
  /** The account that applied it; null for the demo's own start. */
  appliedBy: Type.Union([Type.String(), Type.Null()]),
  /** How it came: an import, a rollback to an earlier version, an edit in the console, the demo's start. */
  source: Type.Union([Type.Literal('import'), Type.Literal('rollback'), Type.Literal('edit'), Type.Literal('demo')]),
  /** For a rollback: the version whose package was applied again. */
  restored: Type.Optional(Type.Integer({ minimum: 1 })),
  /** The subdistrict's name in this version. */
  name: Type.String(),
  note: Type.String({ maxLength: 500 }),
  summary: Type.Array(SectionCount),
})
export type ReferenceVersion = Static<typeof ReferenceVersion>

/** One reason a package is refused, where to fix it (see PackageProblem in package.ts). */
export const PackageProblemT = Type.Object({
  file: Type.String(),
  sheet: Type.Optional(Type.String()),
  row: Type.Optional(Type.Integer()),
  column: Type.Optional(Type.String()),
  id: Type.Optional(Type.String()),
  code: Type.String(),
  reason: Type.String(),
  reasonEn: Type.String(),
})

/** A package as the setup page sends it: the files the admin chose, each base64-encoded. */
export const PackageUpload = Type.Object({
  files: Type.Array(Type.Object({
    name: Type.String({ minLength: 1, maxLength: 200 }),
    data: Type.String({ maxLength: 64 * 1024 * 1024, contentEncoding: 'base64' }),
  }, { additionalProperties: false }), { minItems: 1, maxItems: 60 }),
  /** The coordinate system of the GeoJSON files; GCJ-02 is converted. Default WGS84. */
  crs: Type.Optional(Type.Union([Type.Literal('WGS84'), Type.Literal('CGCS2000'), Type.Literal('GCJ02')])),
  note: Type.Optional(Type.String({ maxLength: 500 })),
  /** The version the dry run was made against: applying refuses if another was applied since. */
  baseVersion: Type.Optional(Type.Integer({ minimum: 0 })),
}, { additionalProperties: false })
export type PackageUpload = Static<typeof PackageUpload>

const SectionDiffT = Type.Object({ section: Type.String(), added: Type.Array(Type.String()), changed: Type.Array(Type.String()), removed: Type.Array(Type.String()) })
const AffectedT = Type.Object({ id: Type.String(), title: Type.String(), reason: Type.String(), reasonEn: Type.String() })
export const DryRunT = Type.Object({
  version: Type.Integer({ minimum: 0 }),
  problems: Type.Array(PackageProblemT),
  diff: Type.Union([Type.Object({ sections: Type.Array(SectionDiffT), settings: Type.Array(Type.String()), affected: Type.Array(AffectedT) }), Type.Null()]),
})

export const SetupStatus = Type.Object({
  version: Type.Integer({ minimum: 0 }),
  configured: Type.Boolean(),
  name: Type.String(),
  code: Type.String(),
  /** This year and next whose holidays no calendar carries yet: working-day limits count Monday–Friday there. */
  calendarGaps: Type.Array(Type.Integer()),
})
export type SetupStatus = Static<typeof SetupStatus>

export const PackageFileList = Type.Array(Type.Object({ name: Type.String(), bytes: Type.Integer() }))

/** Settings edited in the console, each a new version: the title, codes and the headline categories. */
export const SettingsEdit = Type.Object({
  name: Type.String({ minLength: 1, maxLength: 60 }),
  nameEn: Type.String({ maxLength: 120 }),
  code: Type.String({ pattern: '^\\d{6}(\\d{3}){0,2}$' }),
  wallTitle: Type.String({ maxLength: 60 }),
  wallTitleEn: Type.String({ maxLength: 120 }),
  capAreaCodes: Type.Array(Type.String({ pattern: '^\\d{6}(\\d{3}){0,2}$' }), { maxItems: 20 }),
  capAreaNames: Type.Array(Type.String({ minLength: 1, maxLength: 40 }), { maxItems: 20 }),
  headline: Type.Array(Type.String({ minLength: 1, maxLength: 60 }), { maxItems: 6 }),
  note: Type.Optional(Type.String({ maxLength: 500 })),
}, { additionalProperties: false })
export type SettingsEdit = Static<typeof SettingsEdit>
