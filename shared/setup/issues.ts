import type { Issue } from './origins.ts'

// Small builders for the issues every check raises, so the same mistake reads the same everywhere.

export function duplicates<T>(section: string, items: readonly T[], idOf: (t: T) => string, field = 'id'): Issue[] {
  const seen = new Set<string>()
  const out: Issue[] = []
  for (const item of items) {
    const id = idOf(item)
    if (seen.has(id))
      out.push({ section, id, field, code: 'duplicate_code', reason: `编码重复：${id}`, reasonEn: `duplicate code ${id}` })
    seen.add(id)
  }
  return out
}

export function unknownRef(section: string, id: string, field: string, what: string, whatEn: string, value: string): Issue {
  return { section, id, field, code: 'unknown_reference', reason: `未知的${what}：${value}`, reasonEn: `unknown ${whatEn} ${value}` }
}

/** Checks `value` is one of `known`; absent (undefined or empty) passes. */
export function refIssue(known: ReadonlySet<string>, section: string, id: string, field: string, what: string, whatEn: string, value: string | undefined): Issue[] {
  return value === undefined || value === '' || known.has(value) ? [] : [unknownRef(section, id, field, what, whatEn, value)]
}

export const idSet = (items: readonly { id: string }[]): Set<string> => new Set(items.map(i => i.id))
