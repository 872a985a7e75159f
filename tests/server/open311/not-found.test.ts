import type { TestApp } from '../../helpers/app.ts'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildTestApp } from '../../helpers/app.ts'
import { xml } from './helpers.ts'

// Unknown paths: the API's are a 404 a client can parse (the API's error shape, Open311's under /open311), never
// the single-page app's index.html; every other path still loads the app (its client-side routes).

let t: TestApp
let dir: string

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'onescreen-spa-'))
  writeFileSync(join(dir, 'index.html'), '<!doctype html><title>OneScreen</title>')
  t = await buildTestApp({ config: { staticDir: dir } })
})
afterAll(async () => {
  await t.close()
  rmSync(dir, { recursive: true, force: true })
})

describe('unknown paths', () => {
  it.each(['/api/nope', '/api', '/api/incidents/x/y/z', '/metrics/nope', '/docs/nope', '/socket.io/nope'])('%s is a JSON 404 in the error shape', async (url) => {
    const res = await t.app.inject(url)
    expect(res.statusCode, res.body).toBe(404)
    expect(res.headers['content-type']).toContain('application/json')
    expect(res.json()).toEqual({ statusCode: 404, error: 'Not Found', message: `GET ${url} does not exist`, field: 'url' })
  })

  it('under /open311 answers the spec\'s error format, XML for an .xml path', async () => {
    const json = await t.app.inject('/open311/v2/nope.json')
    expect(json.statusCode).toBe(404)
    expect(json.json()).toEqual([{ code: 404, description: 'GET /open311/v2/nope.json does not exist' }])
    const asXml = await t.app.inject({ method: 'POST', url: '/open311/v3/requests.xml' })
    expect(asXml.statusCode).toBe(404)
    expect(asXml.headers['content-type']).toContain('text/xml')
    expect(xml.parse(asXml.body).errors.error).toEqual([{ code: '404', description: 'POST /open311/v3/requests.xml does not exist' }])
    expect((await t.app.inject('/open311/v2/services.csv')).json()[0].code).toBe(404)
  })

  it.each(['/', '/field', '/desk/queue', '/apiary', '/documents'])('%s still loads the single-page app', async (url) => {
    const res = await t.app.inject(url)
    expect(res.statusCode, res.body).toBe(200)
    expect(res.body).toContain('<title>OneScreen</title>')
  })
})
