import type { LabelledReport } from '../../fixtures/duplicates.ts'
import { describe, expect, it } from 'vitest'
import { duplicateClusters } from '../../../shared/incident/clusters.ts'
import { areRelated, candidateOf, DEFAULT_DUPLICATE_SETTINGS, duplicateRules, rankDuplicates, relatedCodes } from '../../../shared/incident/duplicates.ts'
import { at, LABELLED_CLUSTERS, LABELLED_PAIRS, LABELLED_REPORTS } from '../../fixtures/duplicates.ts'

const rules = duplicateRules()
const byTime = [...LABELLED_REPORTS].sort((a, b) => a.reportedAt.localeCompare(b.reportedAt))

/** What each report's candidates were when it came in: among the reports before it. */
function foundPairs(list: LabelledReport[]): string[] {
  const pairs: string[] = []
  list.forEach((inc, n) => {
    for (const c of rankDuplicates(rules, inc, list.slice(0, n))) pairs.push(`${inc.id}~${c.incident.id}`)
  })
  return pairs.sort()
}

describe('possible duplicates on the labelled set', () => {
  it('holds 60–100 reports with planted duplicates and near-misses', () => {
    expect(LABELLED_REPORTS.length).toBeGreaterThanOrEqual(60)
    expect(LABELLED_REPORTS.length).toBeLessThanOrEqual(100)
    expect(new Set(LABELLED_REPORTS.map(r => r.id)).size).toBe(LABELLED_REPORTS.length)
  })

  it('finds every planted duplicate and makes no false pairing', () => {
    const want = LABELLED_PAIRS.map(([a, b]) => `${a}~${b}`).sort()
    const got = foundPairs(byTime)
    expect(got.filter(p => !want.includes(p)), 'false pairings').toEqual([])
    expect(want.filter(p => !got.includes(p)), 'missed duplicates').toEqual([])
  })

  it('pairs none of the near-misses with anything', () => {
    const nearMisses = LABELLED_REPORTS.filter(r => r.id.startsWith('N'))
    for (const n of nearMisses) {
      const found = rankDuplicates(rules, n, LABELLED_REPORTS)
      expect(found.map(c => c.incident.id), `${n.id}: ${n.note}`).toEqual([])
    }
  })

  it('groups open reports into the labelled clusters, oldest first, without merged or closed ones', () => {
    const clusters = duplicateClusters(rules, LABELLED_REPORTS).map(c => c.map(i => i.id))
    expect(clusters).toEqual(LABELLED_CLUSTERS)
  })

  it('does not depend on the order the reports are given in', () => {
    const shuffled = [...LABELLED_REPORTS].reverse()
    expect(duplicateClusters(rules, shuffled).map(c => c.map(i => i.id))).toEqual(LABELLED_CLUSTERS)
  })
})

describe('duplicate rules', () => {
  const base = { id: 'x', category: 'waterlogging', location: at(0, 0), reportedAt: '2026-06-01T00:00:00.000Z', state: 'reported' as const, closedAt: null }

  it('answers candidates nearest first with metres and hours, at most max', () => {
    const others = Array.from({ length: 12 }, (_, n) => ({ ...base, id: `o${n}`, location: at(n * 50 + 10, 0), reportedAt: `2026-06-01T0${n % 9}:00:00.000Z` }))
    const found = rankDuplicates(rules, base, others.reverse())
    expect(found).toHaveLength(DEFAULT_DUPLICATE_SETTINGS.max)
    expect(found[0]).toMatchObject({ meters: 10, hours: 0 })
    expect(found.map(c => c.incident.id)).toEqual(['o0', 'o1', 'o2', 'o3', 'o4', 'o5', 'o6', 'o7'])
    expect(found[3]!.hours).toBe(3)
  })

  it('takes thresholds and related categories from the package and each category', () => {
    const tight = duplicateRules({ meters: 100, related: [] }, [{ code: 'noise', related: ['cooking_fumes'] }])
    expect(areRelated(tight, 'waterlogging', 'sewage_overflow'), 'package replaced the default groups').toBe(false)
    expect(areRelated(tight, 'cooking_fumes', 'noise'), 'a category\'s related list is symmetric').toBe(true)
    expect(relatedCodes(tight, 'noise').sort()).toEqual(['cooking_fumes', 'noise'])
    expect(candidateOf(tight, base, { ...base, id: 'y', location: at(150, 0) })).toBeNull()
    expect(candidateOf(rules, base, { ...base, id: 'y', location: at(150, 0) })?.meters).toBe(150)
  })

  it('never proposes the report itself, a merged or a rejected one', () => {
    expect(candidateOf(rules, base, base)).toBeNull()
    expect(candidateOf(rules, base, { ...base, id: 'm', state: 'merged' })).toBeNull()
    expect(candidateOf(rules, base, { ...base, id: 'r', state: 'rejected' })).toBeNull()
  })
})
