import type { EvacuationCheck, ResourceMove } from '../../../shared/resources/schema.ts'
import { describe, expect, it } from 'vitest'
import { tallyOf } from '../../../shared/resources/evacuation.ts'
import { accounted, evacuationTotals, resourcesUsed, shelterFlow } from '../../../shared/resources/figures.ts'
import { applyShelterMove, applyStockMove, baselineShelter, baselineStock } from '../../../shared/resources/levels.ts'

const stamp = { at: '2026-07-01T02:00:00.000Z', by: 'p1', operationId: 'op-1' }
const depot = { id: 'd1', name: '仓库', location: { lon: 106.6, lat: 29.6 }, items: [{ kind: 'pump', qty: 3 }] }
const move = (kind: ResourceMove['kind'], itemKind: string | null, qty: number): ResourceMove => ({ kind, itemKind, qty, households: null, ...stamp })

describe('a move on the levels', () => {
  it('refuses an issue beyond the stock, naming qty, and leaves the level', () => {
    const s = baselineStock(depot)
    expect(applyStockMove(s, { kind: 'issue', itemKind: 'pump', qty: 4 }, stamp, ['pump'])).toMatchObject({ ok: false, field: 'qty' })
    const ok = applyStockMove(s, { kind: 'issue', itemKind: 'pump', qty: 3 }, stamp, ['pump'])
    expect(ok.ok && ok.value.items).toEqual([{ kind: 'pump', qty: 0 }])
    expect(ok.ok && ok.value.version).toBe(1)
  })

  it('refuses an unknown resource kind', () => {
    expect(applyStockMove(baselineStock(depot), { kind: 'return', itemKind: 'dragon', qty: 1 }, stamp, ['pump'])).toMatchObject({ ok: false, field: 'itemKind' })
  })

  it('flags a shelter over capacity and refuses checking out more than are in', () => {
    const s = baselineShelter({ id: 's1', name: '学校', capacity: 10, location: depot.location })
    const full = applyShelterMove(s, { kind: 'check_in', people: 11, households: 3 }, stamp)
    expect(full.ok && full.value).toMatchObject({ people: 11, households: 3, over: true })
    expect(applyShelterMove(s, { kind: 'check_out', people: 1 }, stamp)).toMatchObject({ ok: false, field: 'qty' })
  })
})

describe('the figures reports read', () => {
  it('sums issues and returns per kind, and shelter check-ins and outs', () => {
    const moves = [move('issue', 'pump', 5), move('return', 'pump', 2), move('issue', 'sandbag', 100), move('check_in', null, 30), move('check_out', null, 4)]
    expect(resourcesUsed(moves)).toEqual([{ kind: 'pump', issued: 5, returned: 2, net: 3 }, { kind: 'sandbag', issued: 100, returned: 0, net: 100 }])
    expect(shelterFlow(moves)).toEqual({ checkedIn: 30, checkedOut: 4 })
  })

  it('counts a grid\'s check-offs of people still on the register, and totals them per operation', () => {
    const check = (personId: string, status: EvacuationCheck['status'], operationId = 'op-1'): EvacuationCheck => ({ operationId, personId, gridId: 'g1', status, reason: '', at: stamp.at, by: 'p1' })
    const checks = [check('a', 'evacuated'), check('b', 'stays'), check('gone', 'reached'), check('c', 'reached', 'op-0')]
    const t = tallyOf('op-1', 'g1', ['a', 'b', 'c'], checks, null, stamp.at)
    expect(t).toMatchObject({ id: 'op-1:g1', version: 1, total: 3, reached: 0, evacuated: 1, stays: 1 })
    expect(accounted(t)).toBe(2)
    const other = { ...t, id: 'op-1:g2', gridId: 'g2', total: 2, reached: 2, evacuated: 0, stays: 0 }
    expect(evacuationTotals([t, other, { ...other, id: 'op-0:g2', operationId: 'op-0' }], 'op-1')).toEqual({ grids: 2, total: 5, reached: 2, evacuated: 1, stays: 1, accounted: 4 })
  })
})
