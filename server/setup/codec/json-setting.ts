import type { TSchema } from 'typebox'
import type { PackageProblem } from '../../../shared/setup/package.ts'
import { Compile } from 'typebox/compile'
import { problemAt } from './cells.ts'

/**
 * An optional JSON settings file of the package (duplicates.json, inforeports.json): absent = undefined (the
 * defaults), unreadable or off the format = a problem naming the file and the path of the first wrong value.
 */
export function jsonSetting<T>(file: string, schema: TSchema, what: { zh: string, en: string }) {
  const check = Compile(schema)
  return (data: Buffer | undefined, problems: PackageProblem[]): T | undefined => {
    if (!data)
      return undefined
    let json: unknown
    try {
      json = JSON.parse(data.toString('utf8').replace(/^\uFEFF/, ''))
    }
    catch (e) {
      problems.push(problemAt({ file }, 'unreadable_file', `不是有效的 JSON：${(e as Error).message}`, `not valid JSON: ${(e as Error).message}`))
      return undefined
    }
    if (!check.Check(json)) {
      const e = [...check.Errors(json)][0]
      const path = (e?.instancePath ?? '').replace(/^\//, '').replaceAll('/', '.') || '$'
      problems.push(problemAt({ file }, 'bad_value', `${what.zh}格式不正确：${path} ${e?.message ?? ''}`, `${what.en} do not match the format: ${path} ${e?.message ?? ''}`, { column: path }))
      return undefined
    }
    return json as T
  }
}
