import { describe, expect, it } from 'vitest'
import { landingFor, landingFrom } from '../../../client/auth/landing.ts'

const as = (...roles: string[]) => ({ roles })

describe('landingFor', () => {
  it.each([
    ['admin', '/desk'],
    ['commander', '/desk'],
    ['operator', '/desk'],
    ['sector_lead', '/desk'],
    ['post_staff', '/desk'],
    ['community_staff', '/desk'],
    ['grid_worker', '/field'],
    ['force_member', '/field'],
    ['leader', '/m'],
    ['wall', '/'],
  ])('sends %s to %s', (role, place) => {
    expect(landingFor(as(role))).toBe(place)
  })

  it('keeps a signed-out screen on the wall', () => {
    expect(landingFor(null)).toBe('/')
    expect(landingFor(as())).toBe('/')
  })

  it('puts desk work before field work for a person with both roles', () => {
    expect(landingFor(as('grid_worker', 'community_staff'))).toBe('/desk')
    expect(landingFor(as('leader', 'force_member'))).toBe('/field')
  })
})

describe('landingFrom', () => {
  it('keeps the command hall\'s dispatchers on the wall when they sign in there', () => {
    expect(landingFrom('/', as('operator'))).toBe('/')
    expect(landingFrom('/', as('commander'))).toBe('/')
  })

  it('sends other desk roles signing in on the wall to the desk', () => {
    expect(landingFrom('/', as('community_staff'))).toBe('/desk')
    expect(landingFrom('/', as('sector_lead'))).toBe('/desk')
  })

  it('sends dispatchers signing in anywhere else to the desk', () => {
    expect(landingFrom('/field', as('operator'))).toBe('/desk')
    expect(landingFrom('/desk', as('admin'))).toBe('/desk')
  })

  it('keeps a post\'s staff on the phone when they sign in there, and sends them to the desk from anywhere else', () => {
    expect(landingFrom('/field', as('post_staff'))).toBe('/field')
    expect(landingFrom('/field', as('community_staff'))).toBe('/field')
    expect(landingFrom('/m', as('post_staff'))).toBe('/desk')
    expect(landingFrom('/desk', as('post_staff'))).toBe('/desk')
  })

  it('sends field roles and leaders signing in on the wall to their phones\' views', () => {
    expect(landingFrom('/', as('grid_worker'))).toBe('/field')
    expect(landingFrom('/', as('leader'))).toBe('/m')
  })
})
