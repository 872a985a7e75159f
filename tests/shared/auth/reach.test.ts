import type { Principal, Target } from '../../../shared/auth/authz.ts'
import { describe, expect, it } from 'vitest'
import { authorizeIncident, deskReach, withinReach } from '../../../shared/auth/authz.ts'

// Where each role acts: its territory, plus whatever is assigned to the person by name.

const person = (roles: Principal['roles'], over: Partial<Principal> = {}): Principal => ({ kind: 'user', id: 'u', personId: 'p-me', name: '我', roles, gridIds: [], communityId: null, sectorId: null, ...over })
const target = (over: Partial<Target> = {}): Target => ({ gridId: 'g-9', communityId: 'c-9', sectorId: 'safety', helperSectorIds: [], assigneeId: null, ...over })

describe('reach', () => {
  it('a post staff member acts in their sector, and on anything assigned to them by name elsewhere', () => {
    const staff = person(['post_staff'], { sectorId: 'party' })
    expect(authorizeIncident(staff, 'start', target())).toMatchObject({ allow: false })
    expect(authorizeIncident(staff, 'start', target({ assigneeId: 'p-me' }))).toEqual({ allow: true, role: 'post_staff' })
    expect(authorizeIncident(staff, 'start', target({ sectorId: 'party' }))).toEqual({ allow: true, role: 'post_staff' })
    expect(authorizeIncident(staff, 'start', target({ helperSectorIds: ['party'] }))).toEqual({ allow: true, role: 'post_staff' })
  })

  it('a grid worker acts in their grids and on what is assigned to them; never on another grid\'s work', () => {
    const gw = person(['grid_worker'], { gridIds: ['g-1'] })
    expect(authorizeIncident(gw, 'accept', target({ gridId: 'g-1' }))).toEqual({ allow: true, role: 'grid_worker' })
    expect(authorizeIncident(gw, 'accept', target())).toMatchObject({ allow: false })
    expect(authorizeIncident(gw, 'resolve', target({ assigneeId: 'p-me' }))).toEqual({ allow: true, role: 'grid_worker' })
  })

  it('the desk\'s reach is the union of the roles\' reach plus the person', () => {
    const both = person(['community_staff', 'grid_worker'], { communityId: 'c-1', gridIds: ['g-1', 'g-2'] })
    expect(deskReach(both)).toEqual({ all: false, sectorIds: [], communityIds: ['c-1'], gridIds: ['g-1', 'g-2'], assigneeIds: ['p-me'] })
    expect(deskReach(person(['operator']))).toMatchObject({ all: true })
    expect(deskReach(person(['leader']))).toMatchObject({ all: true })
    expect(withinReach(deskReach(both), target({ communityId: 'c-1' }))).toBe(true)
    expect(withinReach(deskReach(both), target())).toBe(false)
  })

  it('a device or key has no person, so nothing is "assigned to me"', () => {
    expect(deskReach(person(['force_member'], { kind: 'device', personId: null })).assigneeIds).toEqual([])
  })
})
