import type { ServiceAttribute } from '../../shared/open311/schema.ts'
import type { Category } from '../../shared/organisation/catalog.ts'
import type { PackageProblem } from '../../shared/setup/package.ts'
import { Type } from 'typebox'
import { Compile } from 'typebox/compile'
import { ServiceAttributeT } from '../../shared/open311/schema.ts'

// open311.json, optional in a subdistrict package: the Open311 service definitions (attributes) of the categories
// it names, `{ "<category code>": [attribute, …] }`. Nested data stays JSON, like plans.json; a category it does not
// name has no attributes.

export const OPEN311_FILE = 'open311.json'

const FileT = Compile(Type.Record(Type.String({ minLength: 1, maxLength: 64 }), Type.Array(ServiceAttributeT, { maxItems: 50 })))

function problem(reason: string, reasonEn: string, id?: string): PackageProblem {
  return { file: OPEN311_FILE, code: 'bad_value', reason, reasonEn, ...(id ? { id } : {}) }
}

/** The categories with the attributes open311.json gives them; its problems (shape, unknown codes) added to `problems`. */
export function withAttributes(categories: Category[], data: Buffer | undefined, problems: PackageProblem[]): Category[] {
  if (!data)
    return categories
  let json: unknown
  try {
    json = JSON.parse(data.toString('utf8').replace(/^\uFEFF/, ''))
  }
  catch (e) {
    problems.push({ file: OPEN311_FILE, code: 'unreadable_file', reason: `不是有效的 JSON：${(e as Error).message}`, reasonEn: `not valid JSON: ${(e as Error).message}` })
    return categories
  }
  if (!FileT.Check(json)) {
    const e = [...FileT.Errors(json)][0]
    const at = e?.instancePath.split('/').filter(Boolean).join('.') || '$'
    problems.push(problem(`服务定义格式不正确：${at} ${e?.message ?? ''}`, `service definitions do not match the format: ${at} ${e?.message ?? 'is invalid'}`))
    return categories
  }
  const byCode = json as Record<string, ServiceAttribute[]>
  const codes = new Set(categories.map(c => c.code))
  for (const code of Object.keys(byCode).filter(c => !codes.has(c)))
    problems.push(problem(`未知的事项类别：${code}`, `unknown category ${code}`, code))
  return categories.map(c => (byCode[c.code]?.length ? { ...c, attributes: byCode[c.code] } : c))
}

/** open311.json for an export: present only when some category has attributes. */
export function attributesFile(categories: Category[]): { name: string, data: Buffer }[] {
  const withAny = categories.filter(c => c.attributes?.length)
  if (withAny.length === 0)
    return []
  const body = Object.fromEntries(withAny.map(c => [c.code, c.attributes]))
  return [{ name: OPEN311_FILE, data: Buffer.from(`${JSON.stringify(body, null, 2)}\n`, 'utf8') }]
}
