import type { Change } from '../../../shared/sync/schema.ts'
import type { TestApp } from '../../helpers/app.ts'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DEMO_INTEGRATION_KEY } from '../../../server/auth/accounts.ts'
import { buildTestApp, fixtures } from '../../helpers/app.ts'
import { ATTRIBUTES, form, FORM, keyWith, setAttributes, xml } from './helpers.ts'

// Open311 GeoReport v2 requests: a client's POST becomes a routed incident on the wall, a retry does not make two,
// and the read methods follow the incident through the desk's work to closed, without personal data.

const NOW = new Date('2026-12-06T02:00:00.000Z')
let t: TestApp
let code: string
let point: { lon: number, lat: number }
let reader: string
const changes: Change[] = []

beforeAll(async () => {
  t = await buildTestApp({ now: () => NOW })
  const f = fixtures(t.ctx)
  code = f.category('grid')
  point = f.point
  await setAttributes(t, code, ATTRIBUTES)
  reader = await keyWith(t, ['incidents:read'])
  t.ctx.store.onCommit(batch => changes.push(...batch))
})
afterAll(() => t.close())

/** The spec's example POST, as a form, against one of our services. */
function specExample(over: Record<string, string | string[]> = {}) {
  return form({
    'api_key': DEMO_INTEGRATION_KEY,
    'jurisdiction_id': 'cuntan.example.gov.cn',
    'service_code': code,
    'lat': String(point.lat),
    'long': String(point.lon),
    'address_string': '寸滩街道 1 号',
    'email': 'smith@example.com',
    'device_id': 'tt222111',
    'account_id': '123456',
    'first_name': '三',
    'last_name': '张',
    'phone': '13800001111',
    'description': '路面出现大坑，车辆绕行',
    'media_url': 'http://images.example.com/dscn345.jpg',
    'attribute[WHERE]': 'road',
    'attribute[HAZARDS][]': ['deep', 'water'],
    'attribute[SIZE]': '40',
    ...over,
  })
}

function post(payload: string | object, format = 'json', headers: Record<string, string> = FORM) {
  return t.app.inject({ method: 'POST', url: `/open311/v2/requests.${format}`, headers: typeof payload === 'string' ? headers : {}, payload })
}

describe('pOST requests', () => {
  let id: string

  it('turns a form-encoded request with attributes into a routed open311 incident, at once on the change stream', async () => {
    const res = await post(specExample())
    expect(res.statusCode, res.body).toBe(201)
    expect(res.headers['content-type']).toContain('application/json')
    const answer = res.json() as { service_request_id: string, service_notice: string, account_id: string }[]
    expect(answer).toHaveLength(1)
    expect(answer[0]!.account_id).toBe('123456')
    expect(answer[0]!.service_notice).toMatch(/^由.+办理/)
    id = answer[0]!.service_request_id
    const inc = await t.ctx.store.getIncident(id)
    expect(inc, 'the incident is stored').not.toBeNull()
    expect(inc!.channel).toBe('open311')
    expect(inc!.category).toBe(code)
    expect(inc!.owner.gridId).toBe(t.ctx.grids.locate(point)!.id)
    expect(inc!.attributes).toEqual({ WHERE: 'road', HAZARDS: ['deep', 'water'], SIZE: '40' })
    expect(inc!.mediaUrl).toBe('http://images.example.com/dscn345.jpg')
    expect(inc!.reporterName).toBe('张三')
    expect(inc!.reporterPhone).toBe('13800001111')
    expect(inc!.address).toBe('寸滩街道 1 号')
    expect(changes.some(c => c.kind === 'incident' && c.id === id && c.action === 'report'), 'the commit reached the change stream the wall follows').toBe(true)
  })

  it('answers a retried POST with the same request, never a second incident', async () => {
    const before = await t.ctx.store.countIncidents()
    const again = await post(specExample())
    expect(again.statusCode, again.body).toBe(201)
    expect(again.json()[0].service_request_id).toBe(id)
    expect(again.headers['idempotent-replayed']).toBe('true')
    expect(await t.ctx.store.countIncidents()).toBe(before)
    // Its own Idempotency-Key makes a client's retry of an edited body the same request too.
    const a = await post(specExample({ description: '第二处坑' }), 'json', { ...FORM, 'idempotency-key': 'client-op-1' })
    const b = await post(specExample({ description: '第二处坑' }), 'json', { ...FORM, 'idempotency-key': 'client-op-1' })
    expect(a.json()[0].service_request_id).toBe(b.json()[0].service_request_id)
    expect(a.json()[0].service_request_id).not.toBe(id)
  })

  it('takes a JSON body, with attribute as an object, and answers XML for .xml', async () => {
    const res = await post({ api_key: DEMO_INTEGRATION_KEY, service_code: code, lat: point.lat, long: point.lon, description: 'JSON 客户端', attribute: { WHERE: 'walk' } }, 'xml')
    expect(res.statusCode, res.body).toBe(201)
    expect(res.headers['content-type']).toContain('text/xml')
    expect(res.body.startsWith('<?xml version="1.0" encoding="UTF-8"?>')).toBe(true)
    const parsed = xml.parse(res.body).service_requests.request
    expect(parsed).toHaveLength(1)
    expect((await t.ctx.store.getIncident(parsed[0].service_request_id))?.attributes).toEqual({ WHERE: 'walk' })
  })

  it('places a request that gives only an address, by the grid or community it names', async () => {
    const grid = t.ctx.reference.territory.grids[3]!
    const byName = await post(form({ 'api_key': DEMO_INTEGRATION_KEY, 'service_code': code, 'address_string': `重庆市江北区${grid.name}菜市场门口`, 'attribute[WHERE]': 'road' }))
    expect(byName.statusCode, byName.body).toBe(201)
    expect((await t.ctx.store.getIncident(byName.json()[0].service_request_id))!.owner.gridId).toBe(grid.id)
    const byId = await post(form({ 'api_key': DEMO_INTEGRATION_KEY, 'service_code': code, 'address_id': grid.id, 'attribute[WHERE]': 'walk' }))
    expect(byId.statusCode, byId.body).toBe(201)
    expect((await t.ctx.store.getIncident(byId.json()[0].service_request_id))!.owner.gridId).toBe(grid.id)
    const nowhere = await post(form({ 'api_key': DEMO_INTEGRATION_KEY, 'service_code': code, 'address_string': 'Springfield, Elm Street', 'attribute[WHERE]': 'road' }))
    expect(nowhere.statusCode).toBe(400)
    expect(nowhere.json()[0].description).toContain('address_string')
  })

  it.each([
    ['no service_code', { service_code: undefined }, 400, 'service_code is required'],
    ['an unknown service_code', { service_code: 'no_such_service' }, 400, 'service_code no_such_service'],
    ['a required attribute missing', { 'attribute[WHERE]': undefined }, 400, 'attribute[WHERE] is required'],
    ['a value outside the list', { 'attribute[WHERE]': 'sky' }, 400, 'attribute[WHERE] must be one of road, walk'],
    ['an attribute the service lacks', { 'attribute[COLOR]': 'red' }, 400, 'attribute[COLOR] is not an attribute'],
    ['a number that is not one', { 'attribute[SIZE]': 'big' }, 400, 'attribute[SIZE] must be a number'],
    ['lat without long', { long: undefined }, 400, 'long is required with lat'],
    ['a media_url that is no link', { media_url: 'file:///etc/passwd' }, 400, 'media_url'],
    ['no api_key', { api_key: undefined }, 403, 'api_key is required'],
    ['an unknown api_key', { api_key: 'not-a-key' }, 403, 'api_key is unknown'],
  ])('refuses %s in the spec\'s error format', async (_, over, status, words) => {
    const fields = Object.fromEntries(Object.entries({ ...Object.fromEntries(new URLSearchParams(specExample({ description: `refused ${words}` }))), ...over }).filter(([, v]) => v !== undefined)) as Record<string, string>
    const res = await post(form(fields))
    expect(res.statusCode, res.body).toBe(status)
    expect(res.json()).toEqual([{ code: status, description: expect.stringContaining(words) }])
    const asXml = await post(form(fields), 'xml')
    expect(asXml.statusCode).toBe(status)
    expect(xml.parse(asXml.body).errors.error[0]).toEqual({ code: String(status), description: expect.stringContaining(words) })
  })

  it('answers a body it cannot read in the spec\'s error format too', async () => {
    const unknown = await post('<request/>', 'json', { 'content-type': 'application/xml' })
    expect(unknown.statusCode).toBe(415)
    expect(unknown.json()).toEqual([{ code: 415, description: expect.stringContaining('content-type application/xml') }])
    const plain = await post('service_code=x', 'json', { 'content-type': 'text/plain' })
    expect(plain.json()).toEqual([{ code: 400, description: 'body must be a form or a JSON object' }])
    const broken = await post('{"service_code":', 'xml', { 'content-type': 'application/json' })
    expect(broken.statusCode).toBe(400)
    expect(xml.parse(broken.body).errors.error[0]).toEqual({ code: '400', description: 'the body is not valid JSON' })
    const empty = await t.app.inject({ method: 'POST', url: '/open311/v2/requests.json' })
    expect(empty.statusCode).toBe(400)
    expect(empty.json()[0].description).toContain('body')
  })

  it('refuses a key without the incidents:report scope, and records the refusal', async () => {
    const res = await post(specExample({ api_key: reader, description: '只读密钥' }))
    expect(res.statusCode).toBe(403)
    expect(res.json()[0].description).toContain('incidents:report')
    const audit = await t.ctx.authStore.queryAudit({ result: 'deny', target: 'open311', limit: 5 })
    expect(audit.map(a => a.action)).toContain('key:incidents:report')
  })

  it('maps a token to its request: we never defer, the token is the id', async () => {
    const res = await t.app.inject(`/open311/v2/tokens/${id}.json?api_key=${DEMO_INTEGRATION_KEY}`)
    expect(res.statusCode, res.body).toBe(200)
    expect(res.json()).toEqual([{ service_request_id: id, token: id }])
    expect((await t.app.inject(`/open311/v2/tokens/inc_nope.xml?api_key=${DEMO_INTEGRATION_KEY}`)).statusCode).toBe(404)
  })
})

describe('gET requests', () => {
  const get = (url: string, key: string | null = reader) => t.app.inject(`/open311/v2/${url}${key ? `${url.includes('?') ? '&' : '?'}api_key=${key}` : ''}`)
  let open: string

  beforeAll(async () => {
    open = (await post(specExample({ description: '待处理的坑' }))).json()[0].service_request_id
  })

  it('answers a request in the spec\'s fields, with no personal data', async () => {
    const res = await get(`requests/${open}.json`)
    expect(res.statusCode, res.body).toBe(200)
    const [r] = res.json()
    expect(Object.keys(r).sort()).toEqual(['address', 'address_id', 'agency_responsible', 'description', 'expected_datetime', 'lat', 'long', 'media_url', 'requested_datetime', 'service_code', 'service_name', 'service_notice', 'service_request_id', 'status', 'status_notes', 'updated_datetime', 'zipcode'])
    expect(r).toMatchObject({ service_request_id: open, status: 'open', status_notes: '已收到，等待受理', service_code: code, lat: point.lat, long: point.lon, requested_datetime: '2026-12-06T10:00:00+08:00' })
    expect(r.expected_datetime).toMatch(/\+08:00$/)
    expect(r.agency_responsible.length).toBeGreaterThan(0)
    expect(res.body).not.toContain('13800001111')
    expect(res.body).not.toContain('张三')
    expect(res.body).not.toContain('smith@example.com')
  })

  it('follows the desk\'s work: closed, with the note, once the operator closes it', async () => {
    const op = await t.as('operator')
    const steps = [{ action: 'accept' }, { action: 'assign', assigneeId: t.ctx.reference.org.people[0]!.id }, { action: 'start' }, { action: 'resolve', note: '已回填路面' }, { action: 'verify' }, { action: 'close' }]
    for (const body of steps) {
      const res = await t.app.inject({ method: 'POST', url: `/api/incidents/${open}/actions`, headers: op, payload: body })
      expect(res.statusCode, `${body.action}: ${res.body}`).toBe(200)
    }
    const [r] = (await get(`requests/${open}.json`)).json()
    expect(r.status).toBe('closed')
    expect(r.status_notes).toBe('已结案：已回填路面')
    expect(r.expected_datetime).toBeNull()
    const en = (await get(`requests/${open}.xml?locale=en`))
    expect(xml.parse(en.body).service_requests.request[0]).toMatchObject({ status: 'closed', status_notes: 'Closed：已回填路面', expected_datetime: '' })
  })

  it('reports a merged request with the status of the one it was merged into, naming it', async () => {
    const dup = (await post(specExample({ description: '同一个坑，又报一次' }))).json()[0].service_request_id
    const op = await t.as('operator')
    const merged = await t.app.inject({ method: 'POST', url: `/api/incidents/${dup}/actions`, headers: op, payload: { action: 'merge', mergeInto: open } })
    expect(merged.statusCode, merged.body).toBe(200)
    const [r] = (await get(`requests/${dup}.json`)).json()
    expect(r.status).toBe('closed')
    expect(r.status_notes).toContain(open)
    expect(r.status_notes).toContain('已回填路面')
  })

  it('filters by service_request_id, service_code, status and dates, newest first', async () => {
    const all = (await get('requests.json')).json() as { service_request_id: string, service_code: string, status: string, requested_datetime: string }[]
    expect(all.length).toBeGreaterThanOrEqual(6)
    expect(all.every(r => r.service_code === code)).toBe(true)
    const closed = (await get('requests.json?status=closed')).json() as typeof all
    expect(closed.map(r => r.service_request_id)).toContain(open)
    expect(closed.every(r => r.status === 'closed')).toBe(true)
    const opened = (await get('requests.json?status=open')).json() as typeof all
    expect(opened.length + closed.length).toBe(all.length)
    expect((await get('requests.json?service_code=no_such_service')).json()).toEqual([])
    // Another request than `open` (reports made at one instant list by id, so the newest may be `open` itself).
    const other = all.find(r => r.service_request_id !== open)!.service_request_id
    const two = (await get(`requests.json?service_request_id=${open},${other},inc_nope&status=open`)).json() as typeof all
    expect(two.map(r => r.service_request_id).sort()).toEqual([open, other].sort())
    expect((await get('requests.json?start_date=2026-12-07T00:00:00%2B08:00')).json()).toEqual([])
    expect((await get('requests.json?end_date=2026-12-05T00:00:00Z')).json()).toEqual([])
    const xmlList = xml.parse((await get('requests.xml?jurisdiction_id=anything')).body).service_requests.request as typeof all
    expect(xmlList.map(r => r.service_request_id)).toEqual(all.map(r => r.service_request_id))
    const span = await get('requests.json?start_date=2026-01-01T00:00:00Z&end_date=2026-12-01T00:00:00Z')
    expect(span.statusCode).toBe(400)
    expect(span.json()[0].description).toContain('end_date')
  })

  it('is read with an incidents:read key within its communities; anonymous only where the install allows it', async () => {
    expect((await get('requests.json', null)).statusCode).toBe(403)
    expect((await get('requests.json', DEMO_INTEGRATION_KEY)).statusCode).toBe(403)
    const community = t.ctx.reference.territory.communities.find(c => c.id !== t.ctx.grids.locate(point)!.communityId)!
    const elsewhere = await keyWith(t, ['incidents:read'], [community.id])
    expect((await get('requests.json', elsewhere)).json()).toEqual([])
    expect((await get(`requests/${open}.json`, elsewhere)).statusCode).toBe(404)
    t.ctx.config.open311PublicReads = true
    try {
      const res = await get(`requests/${open}.json`, null)
      expect(res.statusCode, res.body).toBe(200)
    }
    finally {
      t.ctx.config.open311PublicReads = false
    }
  })

  it('keeps its XML well-formed whatever a description holds', async () => {
    const made = await post({ api_key: DEMO_INTEGRATION_KEY, service_code: code, lat: point.lat, long: point.lon, description: 'a\u0001b <c> & "d"', attribute: { WHERE: 'road' } })
    const res = await get(`requests/${made.json()[0].service_request_id}.xml`)
    expect(xml.parse(res.body).service_requests.request[0].description).toBe('ab <c> & "d"')
  })

  it('answers 404 in the spec\'s format for an unknown request', async () => {
    const res = await get('requests/inc_nope.xml')
    expect(res.statusCode).toBe(404)
    expect(xml.parse(res.body).errors.error[0].description).toContain('service_request_id inc_nope')
  })
})
