import type { TestApp } from '../../helpers/app.ts'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildTestApp } from '../../helpers/app.ts'
import { ATTRIBUTES, setAttributes, xml } from './helpers.ts'

// GET services and service definitions: the catalog in force, read at each call, so a package edit shows at once.

let t: TestApp
let code: string

beforeAll(async () => {
  t = await buildTestApp()
  code = t.ctx.catalog.categories[0]!.code
})
afterAll(() => t.close())

describe('gET services', () => {
  it('lists every category of the catalog, without a key, none with metadata by default', async () => {
    const res = await t.app.inject('/open311/v2/services.json?jurisdiction_id=cuntan')
    expect(res.statusCode, res.body).toBe(200)
    const list = res.json() as { service_code: string, service_name: string, metadata: boolean, type: string, group: string, description: string }[]
    expect(list.map(s => s.service_code)).toEqual(t.ctx.catalog.categories.map(c => c.code))
    expect(list.every(s => s.metadata === false && s.type === 'realtime' && s.group.length > 0 && s.description.length > 0)).toBe(true)
    expect(list[0]!.service_name).toBe(t.ctx.catalog.categories[0]!.name)
    const en = (await t.app.inject('/open311/v2/services.json?locale=en')).json()
    expect(en[0].service_name).toBe(t.ctx.catalog.categories[0]!.nameEn)
  })

  it('answers the same list as XML that parses back', async () => {
    const res = await t.app.inject('/open311/v2/services.xml')
    expect(res.statusCode).toBe(200)
    expect(res.headers['content-type']).toBe('text/xml; charset=utf-8')
    const services = xml.parse(res.body).services.service as { service_code: string, metadata: string }[]
    expect(services.map(s => s.service_code)).toEqual(t.ctx.catalog.categories.map(c => c.code))
    expect(services[0]!.metadata).toBe('false')
  })

  it('follows the catalog live: attributes make metadata true and a definition in order', async () => {
    await setAttributes(t, code, ATTRIBUTES)
    const list = (await t.app.inject('/open311/v2/services.json')).json() as { service_code: string, metadata: boolean }[]
    expect(list.find(s => s.service_code === code)!.metadata).toBe(true)
    const def = await t.app.inject(`/open311/v2/services/${code}.json`)
    expect(def.statusCode, def.body).toBe(200)
    const body = def.json()
    expect(body.service_code).toBe(code)
    expect(body.attributes.map((a: { code: string }) => a.code)).toEqual(['NOTE', 'WHERE', 'HAZARDS', 'SIZE'])
    expect(body.attributes[0]).toMatchObject({ variable: false, datatype: 'text', required: false, order: 1, datatype_description: '' })
    expect(body.attributes[1]).toMatchObject({ variable: true, datatype: 'singlevaluelist', required: true, values: [{ key: 'road', name: '车行道' }, { key: 'walk', name: '人行道' }] })
    const asXml = xml.parse((await t.app.inject(`/open311/v2/services/${code}.xml`)).body).service_definition
    expect(asXml.service_code).toBe(code)
    expect(asXml.attributes.attribute[2]).toMatchObject({ code: 'HAZARDS', datatype: 'multivaluelist', required: 'false', order: '3', variable: 'true' })
    expect(asXml.attributes.attribute[2].values.value.map((v: { key: string }) => v.key)).toEqual(['deep', 'wide', 'water'])
    await setAttributes(t, code, undefined)
    expect((await t.app.inject(`/open311/v2/services/${code}.json`)).json().attributes).toEqual([])
  })

  it('answers 404 in the spec\'s error format for an unknown service_code', async () => {
    const json = await t.app.inject('/open311/v2/services/no_such_service.json')
    expect(json.statusCode).toBe(404)
    expect(json.json()).toEqual([{ code: 404, description: 'service_code no_such_service is not a service of ours' }])
    const asXml = await t.app.inject('/open311/v2/services/no_such_service.xml')
    expect(asXml.statusCode).toBe(404)
    expect(xml.parse(asXml.body).errors.error).toEqual([{ code: '404', description: 'service_code no_such_service is not a service of ours' }])
  })
})
