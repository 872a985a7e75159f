import type { Incident } from '../../../shared/incident/schema.ts'
import type { StatsResponse } from '../../../shared/stats/schema.ts'
import { describe, expect, it } from 'vitest'
import { headlineFigures } from '../../../shared/scoring/headline.ts'
import { figureText, loopShares, periodFigures, SHARED_FIGURES, shareText, yearOnYearChange } from '../../../shared/stats/figures.ts'

// One definition per figure: the wall (PanelEfficiency), the leaders' phone (LeaderFigures) and the monthly
// report read these functions and nothing else, so for the same data they show the same text.

const at = '2026-11-20T02:00:00.000Z'
function incident(n: number, state: Incident['state'], loop: 'grid' | 'community' | 'subdistrict' = 'grid'): Incident {
  return {
    id: `inc-${n}`,
    state,
    reportedAt: at,
    acceptedAt: at,
    resolvedAt: state === 'closed' ? at : null,
    closedAt: state === 'closed' ? at : null,
    owner: { loop },
  } as unknown as Incident
}

/** 93 closed of 100 countable (plus 4 rejected or merged that do not count): the wall's "93 %". */
function month(): Incident[] {
  const out: Incident[] = []
  for (let n = 0; n < 93; n++)
    out.push(incident(n, 'closed', n < 62 ? 'grid' : n < 86 ? 'community' : 'subdistrict'))
  for (let n = 93; n < 100; n++)
    out.push(incident(n, 'handling'))
  out.push(incident(100, 'rejected'), incident(101, 'merged'), incident(102, 'rejected'), incident(103, 'merged'))
  return out
}

function statsOf(incidents: Incident[]): StatsResponse {
  return { period: periodFigures(incidents, 30), loops: loopShares(incidents) } as StatsResponse
}

describe('shared figures', () => {
  it('writes the 30-day closure rate the same for the wall and the leaders\' phone', () => {
    const stats = statsOf(month())
    expect(stats.period.closureRate).toBeCloseTo(0.93, 10)
    const wall = figureText('closureRate', stats)
    const leader = figureText('closureRate', stats)
    expect(wall).toBe('93.0%')
    expect(leader).toBe(wall)
  })

  it('writes the loop shares from one definition', () => {
    const stats = statsOf(month())
    expect(figureText('gridRate', stats)).toBe('66.7%')
    expect(figureText('communityRate', stats)).toBe('26%')
    expect(figureText('subdistrictRate', stats)).toBe('8%')
    expect(Object.keys(SHARED_FIGURES)).toEqual(['closureRate', 'gridRate', 'communityRate', 'subdistrictRate'])
  })

  it('says — until the statistics are in, and when there is nothing to divide by', () => {
    expect(figureText('closureRate', null)).toBe('—')
    expect(figureText('closureRate', statsOf([]))).toBe('—')
    expect(shareText(Number.NaN)).toBe('—')
    expect(shareText(0)).toBe('0%')
  })

  it('gives the wall\'s headline and the monthly report the same year-on-year change', () => {
    const report = headlineFigures({ month: '2026-11', closed: 0, closed12: 0, urgentClosed: 0, reported: { property_dispute: 21, petition: 25 }, reportedLastYear: { property_dispute: 31, petition: 42 } })
    const property = report.find(f => f.key === 'propertyYoY')!
    const petition = report.find(f => f.key === 'petitionYoY')!
    expect(property.change).toBe(yearOnYearChange(21, 31))
    expect(petition.change).toBe(yearOnYearChange(25, 42))
    expect(property.change).toBe(-0.3226)
    expect(petition.change).toBe(-0.4048)
    expect(yearOnYearChange(3, 0)).toBeNull()
  })
})
