import { describe, expect, it } from 'vitest'
import { escalateOverdue, isOverdue, nextLoop } from '../../../shared/incident/escalation.ts'
import { categoryByCode, DEFAULT_CATALOG } from '../../../shared/organisation/catalog.ts'
import { makeIncident, minutesAfter, NOW } from '../fixtures.ts'

// Fake clock: fixed instants around a deadline one hour after NOW.
const DEADLINE = minutesAfter(NOW, 60)
const BEFORE = minutesAfter(NOW, 59)
const AFTER = minutesAfter(NOW, 61)

function incidentAt(loop: 'grid' | 'community' | 'subdistrict', state: 'reported' | 'handling' | 'resolved' = 'reported') {
  return makeIncident({ state, stageDeadline: DEADLINE.toISOString(), owner: { ...makeIncident().owner, loop } })
}

describe('nextLoop', () => {
  it('climbs grid → community → subdistrict → nothing', () => {
    expect(nextLoop('grid')).toBe('community')
    expect(nextLoop('community')).toBe('subdistrict')
    expect(nextLoop('subdistrict')).toBeNull()
  })
})

describe('isOverdue', () => {
  it('is false up to the deadline and true after it', () => {
    expect(isOverdue(incidentAt('grid'), BEFORE)).toBe(false)
    expect(isOverdue(incidentAt('grid'), DEADLINE)).toBe(false)
    expect(isOverdue(incidentAt('grid'), AFTER)).toBe(true)
  })

  it('is never true for a finished incident or one without a deadline', () => {
    expect(isOverdue(makeIncident({ state: 'closed', stageDeadline: DEADLINE.toISOString() }), AFTER)).toBe(false)
    expect(isOverdue(makeIncident({ stageDeadline: null }), AFTER)).toBe(false)
  })
})

describe('escalation', () => {
  it('moves an overdue grid incident to its community', () => {
    const result = escalateOverdue(incidentAt('grid'), AFTER, DEFAULT_CATALOG)
    expect(result).toMatchObject({ ok: true, incident: { state: 'reported', escalations: 1, owner: { loop: 'community', communityId: 'a' } } })
    expect(result).toMatchObject({ ok: true, entry: { action: 'escalate', actor: { personId: 'system', role: 'system' }, note: expect.stringContaining('超时自动上报') } })
  })

  it('moves an overdue community incident to the subdistrict', () => {
    expect(escalateOverdue(incidentAt('community', 'handling'), AFTER, DEFAULT_CATALOG)).toMatchObject({ ok: true, incident: { owner: { loop: 'subdistrict' } } })
  })

  it('leaves an incident that is not overdue alone', () => {
    expect(escalateOverdue(incidentAt('grid'), BEFORE, DEFAULT_CATALOG)).toBeNull()
  })

  it('leaves an overdue subdistrict incident for the wall to flag', () => {
    const top = incidentAt('subdistrict')
    expect(escalateOverdue(top, AFTER, DEFAULT_CATALOG)).toBeNull()
    expect(isOverdue(top, AFTER)).toBe(true)
  })

  it('does not escalate an incident waiting on verification', () => {
    expect(escalateOverdue(incidentAt('grid', 'resolved'), AFTER, DEFAULT_CATALOG)).toBeNull()
  })

  it('gives the escalated incident the new stage\'s deadline from the catalog', () => {
    const result = escalateOverdue(incidentAt('grid'), AFTER, DEFAULT_CATALOG)
    if (!result?.ok)
      throw new Error('escalation failed')
    const minutes = categoryByCode(DEFAULT_CATALOG, 'noise')!.deadlines.reported!
    expect(result.incident.stageDeadline).toBe(minutesAfter(AFTER, minutes).toISOString())
    expect(isOverdue(result.incident, AFTER)).toBe(false)
  })

  it('escalates twice when the community lets the new deadline pass too', () => {
    const first = escalateOverdue(incidentAt('grid'), AFTER, DEFAULT_CATALOG)
    if (!first?.ok)
      throw new Error('first escalation failed')
    const later = new Date(Date.parse(first.incident.stageDeadline!) + 1)
    const second = escalateOverdue(first.incident, later, DEFAULT_CATALOG)
    expect(second).toMatchObject({ ok: true, incident: { escalations: 2, owner: { loop: 'subdistrict' } } })
  })
})
