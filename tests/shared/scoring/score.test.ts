import type { WorkerScore } from '../../../shared/scoring/schema.ts'
import type { PatrolRecord, ScoringInput } from '../../../shared/scoring/score.ts'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { DEFAULT_CATALOG } from '../../../shared/organisation/catalog.ts'
import { DEFAULT_SCORING_CONFIG, tierOf, validateScoringConfig } from '../../../shared/scoring/config.ts'
import { rankWorkers, scoreInputs, scoreMonth } from '../../../shared/scoring/score.ts'
import { closedLoop, miniReference, record } from './fixtures.ts'

const config = DEFAULT_SCORING_CONFIG

/** Two check-ins a day (09:00 and 14:00 Chongqing time) on 1–15 November 2026: 30 check-ins, 15 days. */
function novemberPatrols(personId: string): PatrolRecord[] {
  const out: PatrolRecord[] = []
  for (let d = 1; d <= 15; d++) {
    const day = String(d).padStart(2, '0')
    out.push({ personId, gridId: 'g1', at: `2026-11-${day}T01:00:00.000Z` }, { personId, gridId: 'g1', at: `2026-11-${day}T06:00:00.000Z` })
  }
  return out
}

/** w1's November, built so each figure can be checked by hand (see the expectations below). */
function w1November(): ScoringInput {
  const c = record('c', 'g1', [
    { at: '2026-11-20T01:00:00.000Z', action: 'report', by: 'op-01', to: 'reported' },
    { at: '2026-11-20T02:00:00.000Z', action: 'accept', by: 'w1', to: 'accepted' },
    { at: '2026-11-20T03:00:00.000Z', action: 'assign', by: 'w1', to: 'assigned', data: { assigneeId: 'w1' } },
    { at: '2026-11-20T04:00:00.000Z', action: 'start', by: 'w1', to: 'handling' },
    { at: '2026-11-20T05:00:00.000Z', action: 'resolve', by: 'w1', to: 'resolved', note: '已清理完毕' },
    { at: '2026-11-20T06:00:00.000Z', action: 'verify', by: 'w1', to: 'verified' },
    // Unsatisfied: back to assigned at 11-20, whose 1-day allowance has long passed by the month's end.
    { at: '2026-11-20T07:00:00.000Z', action: 'feedback', by: 'w1', to: 'assigned', note: '群众不满意，继续处理', data: { satisfied: false } },
  ])
  return {
    month: '2026-11',
    reference: miniReference({ missingLiaisons: ['finance'] }),
    catalog: DEFAULT_CATALOG,
    config,
    incidents: [
      closedLoop('a', 'g1', 'w1', '2026-11-03T01:00:00.000Z', { over: { photos: ['a'.repeat(64)] } }),
      // Handling took 6 days (allowance 5): closed late. Its description is too short and its feedback note says nothing.
      closedLoop('b', 'g1', 'w1', '2026-11-10T01:00:00.000Z', { late: true, feedbackNote: 'ok', over: { description: '垃圾', photos: ['b'.repeat(64)] } }),
      c,
    ],
    patrols: novemberPatrols('w1'),
  }
}

const byId = (scores: WorkerScore[], id: string) => scores.find(s => s.personId === id)!
const dim = (s: WorkerScore, key: string) => s.dimensions.find(d => d.key === key)!

describe('monthly score arithmetic', () => {
  it('counts every recorded input of a worker', () => {
    const w1 = byId(scoreMonth(w1November()).scores, 'w1')
    expect(w1.inputs).toEqual({
      reports: 2,
      reportFieldsChecked: 10,
      reportFieldsFilled: 9,
      updates: 6,
      updatesWithNote: 5,
      profileItems: 15,
      profileItemsFilled: 14,
      profileMissing: ['网格g1: 金融联络人 finance liaison'],
      patrols: 30,
      activeDays: 17,
      closed: 2,
      closedOnTime: 1,
      overdueOpenAtMonthEnd: 1,
      feedback: 3,
      satisfied: 2,
    })
  })

  it('scores completeness, activity and completion and adds them up as the formula says', () => {
    const w1 = byId(scoreMonth(w1November()).scores, 'w1')
    // completeness = 100 × (0.7 × (9 + 5)/(10 + 6) + 0.3 × 14/15) = 100 × (0.6125 + 0.28)
    expect(dim(w1, 'completeness').score).toBe(89.25)
    // activity = 100 × (0.4 × 30/40 + 0.3 × 2/3 + 0.3 × 17/20) = 100 × (0.3 + 0.2 + 0.255)
    expect(dim(w1, 'activity').score).toBe(75.5)
    // completion = 100 × (0.7 × 1/3 + 0.3 × 2/3) = 43.333…
    expect(dim(w1, 'completion').score).toBe(43.33)
    // total = 0.3 × 89.25 + 0.3 × 75.5 + 0.4 × 43.33 = 66.757
    expect(w1.total).toBe(66.76)
    expect(w1.formula).toBe('0.300×89.25 + 0.300×75.50 + 0.400×43.33 = 66.76')
    expect(w1.tier.name).toBe('合格')
  })

  it('leaves out a part with no data and moves its weight to the others', () => {
    const w3 = byId(scoreMonth({ ...w1November(), reference: miniReference() }).scores, 'w3')
    // No records, no incidents: completeness is its grid profile alone (15/15), activity 0, completion no data.
    expect(dim(w3, 'completeness').score).toBe(100)
    expect(dim(w3, 'completeness').parts.find(p => p.key === 'records')!.value).toBeNull()
    expect(dim(w3, 'completion').score).toBeNull()
    expect(dim(w3, 'activity').score).toBe(0)
    expect(w3.total).toBe(50)
    expect(w3.tier.name).toBe('不合格')
  })

  it('ignores what happened after the month ended', () => {
    const input = w1November()
    const before = byId(scoreMonth(input).scores, 'w1')
    input.incidents.push(closedLoop('late-news', 'g1', 'w1', '2026-12-02T01:00:00.000Z'))
    input.patrols.push({ personId: 'w1', gridId: 'g1', at: '2026-12-01T01:00:00.000Z' })
    expect(byId(scoreMonth(input).scores, 'w1')).toEqual(before)
  })

  it('judges the running month\'s open work as of now, not as of the month\'s end', () => {
    const input = { ...w1November(), asOf: Date.parse('2026-11-20T08:00:00.000Z') }
    // Incident c went back to "assigned" at 07:00 with a day's allowance: not overdue at 08:00.
    expect(byId(scoreMonth(input).scores, 'w1').inputs.overdueOpenAtMonthEnd).toBe(0)
    expect(byId(scoreMonth(w1November()).scores, 'w1').inputs.overdueOpenAtMonthEnd).toBe(1)
  })

  it('keeps every total between 0 and 100, whatever the inputs', () => {
    const n = fc.nat({ max: 500 })
    fc.assert(fc.property(fc.record({ reports: n, f: n, upd: n, note: n, items: n, filled: n, patrols: n, days: fc.nat({ max: 31 }), closed: n, ok: n, over: n, fb: n, sat: n }), (r) => {
      const x = {
        reports: r.reports,
        reportFieldsChecked: 5 * r.reports,
        reportFieldsFilled: Math.min(r.f, 5 * r.reports),
        updates: r.upd,
        updatesWithNote: Math.min(r.note, r.upd),
        profileItems: r.items,
        profileItemsFilled: Math.min(r.filled, r.items),
        profileMissing: [],
        patrols: r.patrols,
        activeDays: r.days,
        closed: r.closed,
        closedOnTime: Math.min(r.ok, r.closed),
        overdueOpenAtMonthEnd: r.over,
        feedback: r.fb,
        satisfied: Math.min(r.sat, r.fb),
      }
      const s = scoreInputs(x, config)
      expect(s.total).toBeGreaterThanOrEqual(0)
      expect(s.total).toBeLessThanOrEqual(100)
      expect(s.formula).toMatch(new RegExp(`${s.total.toFixed(2).replace('.', '\\.')}$`))
    }))
  })
})

describe('tiers', () => {
  it.each([
    [100, '优秀'],
    [90, '优秀'],
    [89.99, '良好'],
    [80, '良好'],
    [79.99, '合格'],
    [60, '合格'],
    [59.99, '不合格'],
    [0, '不合格'],
  ])('puts a total of %d in %s (a total on the line is in the higher tier)', (total, tier) => {
    expect(tierOf(total, config.tiers).name).toBe(tier)
  })

  it('refuses tiers out of order and weights that are all zero', () => {
    expect(validateScoringConfig(config)).toEqual([])
    const bad = { ...config, weights: { completeness: 0, activity: 0, completion: 0 }, tiers: [config.tiers[1]!, config.tiers[0]!] }
    expect(validateScoringConfig(bad)).toHaveLength(2)
  })
})

describe('ranking ties', () => {
  const score = (personId: string, total: number, completion: number, activity = 50, completeness = 50) => ({
    personId,
    total,
    rank: 0,
    dimensions: [
      { key: 'completeness' as const, score: completeness },
      { key: 'activity' as const, score: activity },
      { key: 'completion' as const, score: completion },
    ] as WorkerScore['dimensions'],
  })

  it('breaks an equal total by completion, then activity, then completeness', () => {
    const ranked = rankWorkers([score('a', 80, 70), score('b', 80, 90), score('c', 80, 90, 60), score('d', 85, 10)])
    expect(ranked.map(s => [s.personId, s.rank])).toEqual([['d', 1], ['c', 2], ['b', 3], ['a', 4]])
  })

  it('gives workers equal on everything the same rank, lists them by id and skips the next rank', () => {
    const ranked = rankWorkers([score('z', 80, 70), score('m', 80, 70), score('a', 90, 70), score('b', 70, 70)])
    expect(ranked.map(s => [s.personId, s.rank])).toEqual([['a', 1], ['m', 2], ['z', 2], ['b', 4]])
  })
})
