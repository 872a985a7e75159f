import type { Principal } from '../../../client/auth/rights.ts'
import type { Ownership } from '../../../shared/incident/schema.ts'
import { describe, expect, it } from 'vitest'
import { mayReportAtHome, permits, permitsAction } from '../../../client/auth/rights.ts'

function person(roles: string[], over: Partial<Principal> = {}): Principal {
  return { kind: 'user', id: roles.join('+'), personId: 'p1', name: '张三', roles, gridIds: [], communityId: null, sectorId: null, ...over }
}

const owner = (over: Partial<Ownership> = {}): Ownership => ({ loop: 'grid', communityId: 'c1', gridId: 'g1', sectorId: null, postId: null, helperSectorIds: [], assigneeId: null, ...over })

describe('what a screen offers', () => {
  it('gives the commander the wartime decision and the duty desk the plan, as the server does', () => {
    expect(permits(person(['commander']), 'wartime:declare')).toBe(true)
    expect(permits(person(['operator']), 'wartime:declare')).toBe(false)
    expect(permits(person(['operator']), 'plan:activate')).toBe(true)
    expect(permits(person(['commander']), 'wartime:end')).toBe(true)
  })

  it('offers the drill to an admin too, whom the server lets start it', () => {
    expect(permits(person(['admin']), 'drill:start')).toBe(true)
    expect(permits(person(['grid_worker']), 'drill:start')).toBe(false)
  })

  it('offers nothing to a share link or to no one, whatever roles it names', () => {
    expect(permits(person(['commander'], { kind: 'share' }), 'wartime:declare')).toBe(false)
    expect(permits(null, 'wartime:declare')).toBe(false)
    expect(permitsAction(undefined, 'accept', owner())).toBe(false)
  })

  it('offers incident actions within the person\'s territory only', () => {
    expect(permitsAction(person(['operator']), 'accept', owner())).toBe(true)
    expect(permitsAction(person(['grid_worker'], { gridIds: ['g1'] }), 'accept', owner())).toBe(true)
    expect(permitsAction(person(['grid_worker'], { gridIds: ['g2'] }), 'accept', owner())).toBe(false)
    expect(permitsAction(person(['leader']), 'accept', owner())).toBe(false)
  })

  it('takes a person who may report at home into the field view, and no read-only or gridless session', () => {
    expect(mayReportAtHome(person(['grid_worker'], { gridIds: ['g1'] }))).toBe(true)
    expect(mayReportAtHome(person(['grid_worker']))).toBe(false)
    expect(mayReportAtHome(person(['community_staff'], { communityId: 'c1' }))).toBe(true)
    expect(mayReportAtHome(person(['force_member']))).toBe(true)
    expect(mayReportAtHome(person(['leader']))).toBe(false)
    expect(mayReportAtHome(person(['wall'], { personId: null }))).toBe(false)
    expect(mayReportAtHome(person(['grid_worker'], { gridIds: ['g1'], personId: null }))).toBe(false)
  })

  it('lets only a grid worker check in on patrol', () => {
    expect(permits(person(['grid_worker']), 'patrol:checkin')).toBe(true)
    expect(permits(person(['force_member']), 'patrol:checkin')).toBe(false)
  })
})
