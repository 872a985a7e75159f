import { describe, expect, it } from 'vitest'
import { localParts } from '../../../shared/kernel/time.ts'
import { backfill, finals, NOW } from './helpers.ts'

function reportsIn(code: string, year: number, month0: number): number {
  return finals(backfill().mutations).filter((i) => {
    const m = localParts(Date.parse(i.reportedAt))
    return i.category === code && m.year === year && m.month0 === month0
  }).length
}

function yoy(code: string): number {
  const { year, month0 } = localParts(NOW.getTime())
  const latest = new Date(Date.UTC(year, month0 - 1, 1))
  const now = reportsIn(code, latest.getUTCFullYear(), latest.getUTCMonth())
  const before = reportsIn(code, latest.getUTCFullYear() - 1, latest.getUTCMonth())
  return (now - before) / before * 100
}

describe('demo year-on-year figures', () => {
  it('shows property-management complaints about a third down (source: −32.2%)', () => {
    expect(yoy('property_dispute')).toBeGreaterThan(-32.2 - 5)
    expect(yoy('property_dispute')).toBeLessThan(-32.2 + 5)
  })

  it('shows petitions about 40% down (source: −40.5%)', () => {
    expect(yoy('petition')).toBeGreaterThan(-40.5 - 5)
    expect(yoy('petition')).toBeLessThan(-40.5 + 5)
  })

  it('trends both gently down across the year', () => {
    const { year, month0 } = localParts(NOW.getTime())
    for (const code of ['property_dispute', 'petition']) {
      const months = Array.from({ length: 13 }, (_, k) => {
        const d = new Date(Date.UTC(year, month0 - 13 + k, 1))
        return reportsIn(code, d.getUTCFullYear(), d.getUTCMonth())
      })
      const firstHalf = months.slice(0, 6).reduce((s, n) => s + n, 0)
      const secondHalf = months.slice(7).reduce((s, n) => s + n, 0)
      expect(secondHalf, code).toBeLessThan(firstHalf)
      // Gently: no month more than 4 reports off its neighbour's trend.
      for (let k = 1; k < months.length; k++)
        expect(Math.abs(months[k]! - months[k - 1]!), `${code} month ${k}`).toBeLessThanOrEqual(4)
    }
  })
})
