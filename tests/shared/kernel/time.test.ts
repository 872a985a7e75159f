import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { addMonths, dayOf, dayStart, fromLocal, hasEnded, hourOf, isMonth, localIso, localParts, monthOf, monthRange, monthsBetween, monthStart } from '../../../shared/kernel/time.ts'
import { DEFAULT_CATALOG } from '../../../shared/organisation/catalog.ts'
import { DEFAULT_SCORING_CONFIG } from '../../../shared/scoring/config.ts'
import { scoreMonth } from '../../../shared/scoring/score.ts'
import { miniReference, record } from '../scoring/fixtures.ts'

describe('the Asia/Shanghai calendar', () => {
  it('reads the local wall clock of an instant: 2026-07-11T22:30Z is 06:30 on Sunday 12 July', () => {
    expect(localParts('2026-07-11T22:30:05Z')).toEqual({ year: 2026, month0: 6, day: 12, hour: 6, minute: 30, second: 5, weekday: 0 })
    expect(hourOf('2026-07-11T22:30:05Z')).toBe(6)
    expect(localIso('2026-07-11T22:30:05Z')).toBe('2026-07-12T06:30:05+08:00')
  })

  it('turns a local wall-clock time back into the same instant, overflowing fields as Date.UTC does', () => {
    expect(new Date(fromLocal(2026, 6, 12, 6, 30, 5)).toISOString()).toBe('2026-07-11T22:30:05.000Z')
    expect(new Date(fromLocal(2026, 12)).toISOString()).toBe('2026-12-31T16:00:00.000Z')
    fc.assert(fc.property(fc.integer({ min: 0, max: 4_102_444_800 }), (sec) => {
      const t = sec * 1000
      const p = localParts(t)
      expect(fromLocal(p.year, p.month0, p.day, p.hour, p.minute, p.second)).toBe(t)
    }), { seed: 35965 })
  })

  it('starts a local day at 16:00 UTC the day before, and a month at its first local midnight', () => {
    expect(new Date(dayStart('2026-10-31T16:30:00Z')).toISOString()).toBe('2026-10-31T16:00:00.000Z')
    expect(new Date(dayStart('2026-10-31T15:59:00Z')).toISOString()).toBe('2026-10-30T16:00:00.000Z')
    expect(new Date(monthStart('2026-11-15T00:00:00Z')).toISOString()).toBe('2026-10-31T16:00:00.000Z')
    expect(new Date(monthStart('2026-11-15T00:00:00Z', -13)).toISOString()).toBe('2025-09-30T16:00:00.000Z')
  })
})

describe('evaluation months (Asia/Shanghai, UTC+8, no DST)', () => {
  it('puts 2026-10-31T16:30Z in November: it is 00:30 on 1 November in Chongqing', () => {
    expect(monthOf('2026-10-31T16:30:00Z')).toBe('2026-11')
    expect(monthOf('2026-10-31T15:59:59.999Z')).toBe('2026-10')
    expect(dayOf('2026-10-31T16:30:00Z')).toBe('2026-11-01')
  })

  it('starts a month at 16:00 UTC on the last day of the month before', () => {
    expect(monthRange('2026-11')).toMatchObject({ fromIso: '2026-10-31T16:00:00.000Z', toIso: '2026-11-30T16:00:00.000Z' })
    expect(monthRange('2027-01').fromIso).toBe('2026-12-31T16:00:00.000Z')
    expect(monthRange('2028-02').toIso).toBe('2028-02-29T16:00:00.000Z') // leap year
  })

  it('moves across years and lists months in order', () => {
    expect(addMonths('2026-01', -1)).toBe('2025-12')
    expect(addMonths('2025-12', 13)).toBe('2027-01')
    expect(monthsBetween('2025-11', '2026-02')).toEqual(['2025-11', '2025-12', '2026-01', '2026-02'])
    expect(monthsBetween('2026-03', '2026-02')).toEqual([])
  })

  it('says a month has ended only from its last instant on', () => {
    const { to } = monthRange('2026-11')
    expect(hasEnded('2026-11', to - 1)).toBe(false)
    expect(hasEnded('2026-11', to)).toBe(true)
  })

  it('rejects what is not a month', () => {
    for (const s of ['2026-13', '2026-00', '2026-1', '26-01', '2026-01-01', ''])
      expect(isMonth(s), s).toBe(false)
    expect(() => monthRange('2026-13')).toThrow(RangeError)
  })

  it('places every instant in exactly the month whose range holds it', () => {
    fc.assert(fc.property(fc.integer({ min: Date.UTC(1990, 0, 1), max: Date.UTC(2100, 0, 1) }), (t) => {
      const m = monthOf(t)
      const r = monthRange(m)
      expect(t).toBeGreaterThanOrEqual(r.from)
      expect(t).toBeLessThan(r.to)
      expect(monthOf(r.from)).toBe(m)
      expect(monthOf(r.to)).toBe(addMonths(m, 1))
    }))
  })

  it('counts a report made at 00:30 on 1 November in November\'s score, not October\'s', () => {
    const report = record('x', 'g2', [{ at: '2026-10-31T16:30:00.000Z', action: 'report', by: 'w2', to: 'reported' }])
    const input = (month: string) => ({ month, reference: miniReference(), catalog: DEFAULT_CATALOG, config: DEFAULT_SCORING_CONFIG, incidents: [report], patrols: [] })
    const w2 = (month: string) => scoreMonth(input(month)).scores.find(s => s.personId === 'w2')!.inputs
    expect(w2('2026-11')).toMatchObject({ reports: 1, activeDays: 1 })
    expect(w2('2026-10')).toMatchObject({ reports: 0, activeDays: 0 })
  })
})
