import { describe, expect, it } from 'vitest'
import { buildCuntanReference } from '../../../server/territory/cuntan/reference.ts'
import { draftReport } from '../../../shared/inforeport/draft.ts'
import { DEFAULT_INFOREPORT_TIMES } from '../../../shared/inforeport/rules.ts'
import { openReport } from '../../../shared/inforeport/schedule.ts'
import { iso, MIN, operation, T0 } from '../../client/wartime/factories.ts'

// What a draft takes from the operation beyond the board: an exercise says so in its title, and the shelters'
// check-ins are the floor of 转移安置 (the desk may know of more, never fewer).

const ref = buildCuntanReference()
const report = openReport('op-1', 'initial', 0, iso(30 * MIN), DEFAULT_INFOREPORT_TIMES, new Date(T0))
const source = (patch: Partial<Parameters<typeof draftReport>[1]> = {}) => ({ op: operation({ id: 'op-1', declaredAt: iso(0) }), plan: null, tasks: [], ref, warningHeadline: null, previous: null, now: new Date(T0 + 20 * MIN), ...patch })

describe('a report\'s draft', () => {
  it('marks an exercise in its title, and only an exercise', () => {
    expect(draftReport(report, source({ op: operation({ id: 'op-1', declaredAt: iso(0), exercise: true }) })).fields.title).toMatch(/^【演练】/)
    expect(draftReport(report, source()).fields.title).not.toMatch(/演练/)
  })

  it('fills 转移安置 from the shelters, never below what the desk typed before', () => {
    expect(draftReport(report, source()).fields.evacuated, 'nothing recorded, nothing typed').toBeNull()
    expect(draftReport(report, source({ sheltered: 42 })).fields.evacuated).toBe(42)
    const previous = { ...report, fields: { ...draftReport(report, source()).fields, evacuated: 60 } }
    expect(draftReport(report, source({ sheltered: 42, previous })).fields.evacuated, 'the desk knew of more').toBe(60)
    expect(draftReport(report, source({ sheltered: 75, previous })).fields.evacuated, 'the shelters now hold more').toBe(75)
  })
})
