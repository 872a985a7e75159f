import type { Incident, IncidentWithHistory } from '../../../shared/incident/schema.ts'
import { describe, expect, it } from 'vitest'
import { outcomeOf } from '../../../client/screens/field/mine.ts'

const base = { id: 'x', state: 'reported', mergedInto: null, closedAt: null, resolvedAt: null } as unknown as Incident
const actor = { personId: 'p', role: 'grid_worker' }

describe('what a reporter sees of their report', () => {
  it('shows a merged report through the state and result of the one it joined', () => {
    const mine = { ...base, state: 'merged', mergedInto: 'M' } as Incident
    const master = { ...base, id: 'M', state: 'closed', closedAt: '2026-06-02T00:00:00.000Z', history: [
      { at: '2026-06-01T00:00:00.000Z', action: 'resolve', actor, from: 'handling', to: 'resolved', note: '已疏通' },
      { at: '2026-06-02T00:00:00.000Z', action: 'close', actor, from: 'verified', to: 'closed' },
    ] } as IncidentWithHistory
    expect(outcomeOf(mine, master)).toEqual({ state: 'closed', via: 'M', note: '已疏通', at: '2026-06-02T00:00:00.000Z' })
  })

  it('shows its own state while the master is not known, or when it was not merged', () => {
    expect(outcomeOf({ ...base, state: 'merged', mergedInto: 'M' } as Incident, null)).toMatchObject({ state: 'merged', via: null })
    expect(outcomeOf({ ...base, state: 'handling' } as Incident, null)).toMatchObject({ state: 'handling', via: null, note: null })
  })
})
