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
