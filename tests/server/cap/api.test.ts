import type { TestApp } from '../../helpers/app.ts'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DEMO_INTEGRATION_KEY } from '../../../server/auth/accounts.ts'
import { julyRainstormCap } from '../../../shared/cap/samples.ts'
import { buildTestApp } from '../../helpers/app.ts'

let t: TestApp
const now = new Date('2026-07-15T12:00:00.000Z')
const key = { 'authorization': `Bearer ${DEMO_INTEGRATION_KEY}`, 'content-type': 'application/xml' }

beforeAll(async () => {
  t = await buildTestApp({ now: () => now })
})
afterAll(() => t.close())

const post = (xml: string, headers: Record<string, string> = key) => t.app.inject({ method: 'POST', url: '/api/cap', headers, payload: xml })

/** A Cancel of the given alert, as its sender would send it. */
function cancelOf(xml: string): string {
  const identifier = /<identifier>([^<]+)</.exec(xml)![1]!
  const sender = /<sender>([^<]+)</.exec(xml)![1]!
  const sent = /<sent>([^<]+)</.exec(xml)![1]!
  return xml
    .replace(/<identifier>[^<]+</, `<identifier>${identifier}_cancel<`)
    .replace('<msgType>Alert</msgType>', `<msgType>Cancel</msgType>\n  <references>${sender},${identifier},${sent}</references>`)
}

describe('cAP intake', () => {
  const red = julyRainstormCap(now)

  it('takes a red rainstorm warning for Jiangbei, finds the affected grids and proposes the rainstorm plan', async () => {
    const res = await post(red)
    expect(res.statusCode).toBe(201)
    const w = res.json()
    expect(w).toMatchObject({ colour: 'red', hazard: 'rainstorm', state: 'active', exercise: false, proposal: { planId: 'rainstorm-red' } })
    // The warning is for the whole of Jiangbei district, which holds every Cuntan grid.
    expect([...w.affectedGridIds].sort()).toEqual(t.ctx.reference.territory.grids.map(g => g.id).sort())
    // A proposal only: nothing was declared.
    expect(await t.ctx.wartime.active()).toBeNull()
  })

  it('treats a repeat of the same alert as a duplicate, not a second warning', async () => {
    const res = await post(red)
    expect(res.statusCode).toBe(200)
    expect((await t.ctx.warnings.list()).length).toBe(1)
  })

  it('honours a Cancel through references', async () => {
    const res = await post(cancelOf(red))
    expect(res.statusCode).toBe(201)
    const all = await t.ctx.warnings.list()
    expect(all.find(w => w.identifier === /<identifier>([^<]+)</.exec(red)![1])!.state).toBe('cancelled')
  })

  it.each([
    ['malformed XML', '<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2"><identifier>x</ident', /line|column|XML|well-formed/i],
    ['a wrong namespace', red.replace('urn:oasis:names:tc:emergency:cap:1.2', 'urn:oasis:names:tc:emergency:cap:1.1'), /namespace/i],
    ['a missing identifier', red.replace(/<identifier>[^<]+<\/identifier>/, ''), /identifier/],
    ['an empty body', ' ', /./],
  ])('refuses %s with 400 saying why', async (_what, xml, why) => {
    const res = await post(xml)
    expect(res.statusCode).toBe(400)
    expect(res.json().message).toMatch(why)
  })

  it('refuses JSON with 415 and a caller without the permission with 403', async () => {
    expect((await t.app.inject({ method: 'POST', url: '/api/cap', headers: { authorization: key.authorization }, payload: { a: 1 } })).statusCode).toBe(415)
    const gw = await t.as('grid_worker')
    expect((await post(red.replace('_', '_x'), { ...gw, 'content-type': 'application/xml' })).statusCode).toBe(403)
  })
})
