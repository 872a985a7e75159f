import type { Incident } from '../../../shared/incident/schema.ts'
import { describe, expect, it } from 'vitest'
import { withHotlineOrder } from '../../../server/demo/sim/reports.ts'
import { indexStaff } from '../../../server/demo/sim/staff.ts'
import { nextStep } from '../../../server/demo/sim/steps.ts'
import { createRng } from '../../../server/kernel/random.ts'
import { buildCuntanReference } from '../../../server/territory/cuntan/reference.ts'
import { DEFAULT_CATALOG } from '../../../shared/organisation/catalog.ts'

// The demo's 12345 sender: its live reports carry an order, and the simulated desk answers it before closing.

const REF = buildCuntanReference()
const NOW = new Date('2026-12-07T02:00:00.000Z')
const body = { category: 'noise', description: '噪音', location: REF.territory.grids[0]!.center, channel: 'hotline_12345' as const }

describe('the demo\'s 12345 orders', () => {
  it('numbers orders by the day in Shanghai, with a caller and a deadline three days on', () => {
    const { hotline } = withHotlineOrder(body, NOW, 12)
    expect(hotline).toMatchObject({ orderNo: 'GD2026120700012', dueAt: '2026-12-10T02:00:00.000Z' })
    expect(hotline!.caller).toBeTruthy()
    expect(hotline!.callerPhone).toMatch(/^139\d{8}$/)
    // 23:30 on the 6th in UTC is the 7th in Shanghai.
    expect(withHotlineOrder(body, new Date('2026-12-06T23:30:00.000Z'), 1).hotline!.orderNo).toBe('GD2026120700001')
  })

  it('writes the reply before the feedback that closes a verified 12345 case', async () => {
    const staff = indexStaff(REF)
    const grid = REF.territory.grids[0]!
    const inc = {
      id: 'inc-demo',
      state: 'verified',
      escalations: 0,
      reopenCount: 0,
      category: 'noise',
      owner: { loop: 'grid', communityId: grid.communityId, gridId: grid.id, sectorId: null, postId: null, helperSectorIds: [], assigneeId: null },
      hotline: { orderNo: 'GD1', requests: [], marks: [] },
    } as unknown as Incident
    const first = nextStep(inc, staff, DEFAULT_CATALOG, createRng('t'))
    expect(first?.body).toMatchObject({ action: 'hotline', hotline: { op: 'reply' } })
    expect((first?.body.hotline?.text ?? '').length).toBeGreaterThan(5)
    const replied = { ...inc, hotline: { ...inc.hotline!, replyText: '已处理' } }
    expect(nextStep(replied, staff, DEFAULT_CATALOG, createRng('t'))?.body.action).toBe('feedback')
  })
})
