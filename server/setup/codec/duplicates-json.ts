import type { DuplicateSettings } from '../../../shared/incident/duplicates.ts'
import { Type } from 'typebox'
import { jsonSetting } from './json-setting.ts'

// duplicates.json (optional): the package's possible-duplicate thresholds and related category groups
// (docs/duplicates.md). Absent = the defaults in shared/incident/duplicates.ts.

export const DUPLICATES_FILE = 'duplicates.json'

export const readDuplicates = jsonSetting<Partial<DuplicateSettings>>(DUPLICATES_FILE, Type.Object({
  meters: Type.Optional(Type.Number({ minimum: 0, maximum: 10_000 })),
  hours: Type.Optional(Type.Number({ minimum: 0, maximum: 24 * 365 })),
  max: Type.Optional(Type.Integer({ minimum: 0, maximum: 50 })),
  closedHours: Type.Optional(Type.Number({ minimum: 0, maximum: 24 * 365 })),
  related: Type.Optional(Type.Array(Type.Array(Type.String({ minLength: 1 }), { minItems: 2 }))),
}, { additionalProperties: false }), { zh: '疑似重复设置', en: 'duplicate settings' })
