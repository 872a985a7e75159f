import type { ServiceAttribute } from '../../../shared/open311/schema.ts'
import { describe, expect, it } from 'vitest'
import { requestOf } from '../../../shared/open311/requests.ts'
import { checkAttributes, keptAttributes, servicesOf } from '../../../shared/open311/services.ts'
import { DEFAULT_CATALOG, validateCatalog } from '../../../shared/organisation/catalog.ts'
import { makeIncident, REFERENCE } from '../fixtures.ts'

// The pure parts of Open311: posted attribute values against a definition, and an incident as a service request.

const DEFS: ServiceAttribute[] = [
  { code: 'KIND', datatype: 'singlevaluelist', required: true, description: '类型', order: 1, values: [{ key: 'a', name: 'A' }, { key: 'b', name: 'B' }] },
  { code: 'TAGS', datatype: 'multivaluelist', required: false, description: '标签', order: 2, values: [{ key: 'x', name: 'X' }, { key: 'y', name: 'Y' }] },
  { code: 'WHEN', datatype: 'datetime', required: false, description: '发现时间', order: 3 },
  { code: 'INFO', datatype: 'string', required: true, variable: false, description: '说明', order: 4 },
]

describe('checkAttributes', () => {
  it.each([
    [{ KIND: 'a' }, null],
    [{ KIND: ' b ', TAGS: ['x', 'y'], WHEN: '2026-12-06T10:00:00+08:00' }, null],
    [{ KIND: 'a', TAGS: 'y' }, null],
    [{}, 'attribute[KIND] is required: 类型'],
    [{ KIND: '  ' }, 'attribute[KIND] is required: 类型'],
    [{ KIND: ['a', 'b'] }, 'attribute[KIND] takes one value'],
    [{ KIND: 'a', TAGS: ['x', 'z'] }, 'attribute[TAGS] must be one of x, y'],
    [{ KIND: 'a', WHEN: '2026-12-06 10:00' }, 'attribute[WHEN] must be an ISO 8601 date-time with its offset'],
    [{ KIND: 'a', INFO: 'text' }, 'attribute[INFO] is not an attribute of this service'],
    [{ KIND: 'a', OTHER: '1' }, 'attribute[OTHER] is not an attribute of this service'],
  ])('%j → %s', (posted, message) => {
    expect(checkAttributes(DEFS, posted as Record<string, string | string[]>)?.message ?? null).toBe(message)
  })

  it('keeps trimmed values, a multivaluelist always as a list', () => {
    expect(keptAttributes(DEFS, { KIND: ' a ', TAGS: 'x', WHEN: '' })).toEqual({ KIND: 'a', TAGS: ['x'] })
  })
})

describe('service definitions in the catalog', () => {
  it('are checked with the catalog: duplicate codes, lists without values, values on a plain field', () => {
    const [first, ...rest] = DEFAULT_CATALOG.categories
    const attributes: ServiceAttribute[] = [
      { code: 'K', datatype: 'singlevaluelist', required: true, description: 'k', order: 1 },
      { code: 'K', datatype: 'number', required: false, description: 'k', order: 2, values: [{ key: '1', name: '1' }] },
    ]
    const problems = validateCatalog({ ...DEFAULT_CATALOG, categories: [{ ...first!, attributes }, ...rest] })
    expect(problems).toEqual([
      `category ${first!.code}: attribute K is a singlevaluelist without values`,
      `category ${first!.code}: duplicate attribute K`,
      `category ${first!.code}: attribute K has values but is a number`,
    ])
    expect(servicesOf({ ...DEFAULT_CATALOG, categories: [{ ...first!, attributes }] })[0]!.metadata).toBe(true)
  })
})

describe('requestOf', () => {
  const ctx = { ref: REFERENCE, catalog: DEFAULT_CATALOG, lang: 'zh' as const }

  it('answers times in UTC+8, the grid as address_id, and no reporter', () => {
    const inc = makeIncident({ reporterName: '张三', reporterPhone: '13800001111' })
    const r = requestOf(inc, ctx)
    expect(r.requested_datetime).toMatch(/\+08:00$/)
    expect(r.address_id).toBe(inc.owner.gridId ?? '')
    expect(JSON.stringify(r)).not.toContain('13800001111')
    expect(JSON.stringify(r)).not.toContain('张三')
  })

  it('gives a merged request the status and notes of the one it went into, naming it', () => {
    const target = { ...makeIncident({ id: 'inc_target', state: 'closed' as const, stageDeadline: null }), history: [{ note: '已修复' }] }
    const dup = makeIncident({ id: 'inc_dup', state: 'merged' as const, mergedInto: 'inc_target', stageDeadline: null })
    const r = requestOf(dup, { ...ctx, mergedInto: target })
    expect(r.status).toBe('closed')
    expect(r.status_notes).toBe('已合并至同一问题的其他工单处理（inc_target）：已结案：已修复')
    // Merged into one still open: open, as its reporter's problem is not solved yet.
    const open = requestOf(dup, { ...ctx, mergedInto: { ...target, state: 'handling', history: [] } })
    expect(open.status).toBe('open')
  })
})
