import type { DuplicateSettings } from '../../../shared/incident/duplicates.ts'
import type { PackageProblem } from '../../../shared/setup/package.ts'
import { Type } from 'typebox'
import { Compile } from 'typebox/compile'
import { problemAt } from './cells.ts'

// duplicates.json (optional): the package's possible-duplicate thresholds and related category groups
// (docs/duplicates.md). Absent = the defaults in shared/incident/duplicates.ts.

export const DUPLICATES_FILE = 'duplicates.json'

const DuplicatesT = Compile(Type.Object({
  meters: Type.Optional(Type.Number({ minimum: 0, maximum: 10_000 })),
  hours: Type.Optional(Type.Number({ minimum: 0, maximum: 24 * 365 })),
  max: Type.Optional(Type.Integer({ minimum: 0, maximum: 50 })),
  closedHours: Type.Optional(Type.Number({ minimum: 0, maximum: 24 * 365 })),
  related: Type.Optional(Type.Array(Type.Array(Type.String({ minLength: 1 }), { minItems: 2 }))),
}, { additionalProperties: false }))

export function readDuplicates(data: Buffer | undefined, problems: PackageProblem[]): Partial<DuplicateSettings> | undefined {
  if (!data)
    return undefined
  let json: unknown
  try {
    json = JSON.parse(data.toString('utf8').replace(/^\uFEFF/, ''))
  }
  catch (e) {
    problems.push(problemAt({ file: DUPLICATES_FILE }, 'unreadable_file', `不是有效的 JSON：${(e as Error).message}`, `not valid JSON: ${(e as Error).message}`))
    return undefined
  }
  if (!DuplicatesT.Check(json)) {
    const e = [...DuplicatesT.Errors(json)][0]
    const path = (e?.instancePath ?? '').replace(/^\//, '').replaceAll('/', '.') || '$'
    problems.push(problemAt({ file: DUPLICATES_FILE }, 'bad_value', `疑似重复设置格式不正确：${path} ${e?.message ?? ''}`, `duplicate settings do not match the format: ${path} ${e?.message ?? ''}`, { column: path }))
    return undefined
  }
  return json
}
