import type { Catalog } from '../../../shared/organisation/catalog.ts'
import { describe, expect, it } from 'vitest'
import { categoryByCode, DEFAULT_CATALOG, stageDeadlineFor, validateCatalog } from '../../../shared/organisation/catalog.ts'
import { NOW } from '../fixtures.ts'

describe('default catalog', () => {
  it('is valid: every post and category names things that exist', () => {
    expect(validateCatalog(DEFAULT_CATALOG)).toEqual([])
  })

  it('has the four sectors of the source', () => {
    expect(DEFAULT_CATALOG.sectors.map(s => s.name)).toEqual(['党的建设', '经济发展', '民生服务', '平安法治'])
  })

  it('has at least 24 categories, including the ones the brief names', () => {
    const names = DEFAULT_CATALOG.categories.map(c => c.name)
    expect(names.length).toBeGreaterThanOrEqual(24)
    for (const name of ['违章建筑', '业委会监管', '过期食品', '占道经营', '积水内涝', '地质灾害', '高空抛物', '物业纠纷', '噪音扰民', '燃气泄漏', '消防通道占用', '井盖缺失', '邻里纠纷', '信访诉求', '垃圾乱堆', '路灯故障', '违规停车', '流浪动物', '电动车违规充电', '房屋安全隐患', '油烟扰民', '无证经营', '欠薪求助', '独居老人关怀'])
      expect(names).toContain(name)
  })

  it('grades gas leaks and geological hazards as the most severe, noise as the least', () => {
    expect(categoryByCode(DEFAULT_CATALOG, 'gas_leak')?.severity).toBeLessThanOrEqual(2)
    expect(categoryByCode(DEFAULT_CATALOG, 'geological_hazard')?.severity).toBeLessThanOrEqual(2)
    expect(categoryByCode(DEFAULT_CATALOG, 'noise')?.severity).toBe(4)
  })

  it('gives a gas leak 5 minutes to be accepted', () => {
    expect(categoryByCode(DEFAULT_CATALOG, 'gas_leak')?.deadlines.reported).toBe(5)
  })

  it('weights everyday complaints far above gas leaks', () => {
    const w = (code: string) => categoryByCode(DEFAULT_CATALOG, code)!.weight
    for (const code of ['noise', 'garbage', 'illegal_parking', 'property_dispute'])
      expect(w(code)).toBeGreaterThan(10 * w('gas_leak'))
  })

  it('gives tighter deadlines to more severe categories', () => {
    for (const c of DEFAULT_CATALOG.categories.filter(x => x.severity === 1))
      expect(c.deadlines.reported).toBeLessThanOrEqual(15)
  })
})

describe('categoryByCode', () => {
  it('returns undefined for an unknown code', () => {
    expect(categoryByCode(DEFAULT_CATALOG, 'no_such_thing')).toBeUndefined()
  })
})

describe('stageDeadlineFor', () => {
  it('adds the category\'s minutes for the state', () => {
    expect(stageDeadlineFor(DEFAULT_CATALOG, 'gas_leak', 'reported', NOW)).toBe('2024-07-10T08:05:00.000Z')
  })

  it('is null for a state without a clock', () => {
    expect(stageDeadlineFor(DEFAULT_CATALOG, 'gas_leak', 'closed', NOW)).toBeNull()
  })

  it('keeps a clock running for a category that left the catalog', () => {
    expect(stageDeadlineFor(DEFAULT_CATALOG, 'retired_code', 'reported', NOW)).not.toBeNull()
  })
})

describe('validateCatalog', () => {
  it('reports a category that names an unknown post or a post in the wrong sector', () => {
    const broken: Catalog = {
      ...DEFAULT_CATALOG,
      categories: [
        { ...DEFAULT_CATALOG.categories[0]!, code: 'a', responsibility: { type: 'single', sectorId: 'safety', postId: 'safety.nope' } },
        { ...DEFAULT_CATALOG.categories[0]!, code: 'b', responsibility: { type: 'single', sectorId: 'party', postId: 'safety.emergency' } },
        { ...DEFAULT_CATALOG.categories[0]!, code: 'b', weight: 0 },
      ],
    }
    const problems = validateCatalog(broken)
    expect(problems).toContain('category a: unknown post safety.nope')
    expect(problems).toContain('category b: post safety.emergency is not in sector party')
    expect(problems).toContain('category b: duplicate code')
    expect(problems).toContain('category b: weight must be positive')
  })
})
