import type { TestApp } from '../../helpers/app.ts'
import { readFileSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startCapFeed } from '../../../server/cap/feed.ts'
import { allowList } from '../../../server/http/metrics.ts'
import { buildTestApp, fixtures } from '../../helpers/app.ts'
import { watcher } from '../../helpers/socket.ts'
import { parsePrometheus, valueOf } from './prom-text.ts'

/** A key made by the admin with these scopes; its bearer header. */
async function keyWith(t: TestApp, scopes: string[]): Promise<{ authorization: string }> {
  const res = await t.app.inject({ method: 'POST', url: '/api/api-keys', headers: await t.as('admin'), payload: { name: `k-${scopes.join('-')}`, scopes } })
  expect(res.statusCode, res.body).toBe(201)
  return { authorization: `Bearer ${res.json().token}` }
}

describe('metrics', () => {
  let t: TestApp
  let clock = new Date()
  let scraper: { authorization: string }
  beforeAll(async () => {
    t = await buildTestApp({ now: () => clock })
    scraper = await keyWith(t, ['metrics:read'])
  })
  afterAll(() => t.close())

  async function scrape() {
    const res = await t.app.inject({ method: 'GET', url: '/metrics', headers: scraper })
    expect(res.statusCode, res.body).toBe(200)
    expect(res.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/)
    return parsePrometheus(res.body)
  }

  it('counts requests by route pattern and status class, never by raw URL', async () => {
    for (let i = 0; i < 3; i++)
      await t.app.inject('/api/health/live')
    const op = await t.as('operator')
    await t.app.inject({ method: 'GET', url: '/api/incidents/NOPE-123', headers: op })
    const m = await scrape()
    expect(valueOf(m, 'onescreen_http_request_duration_seconds_count', { method: 'GET', route: '/api/health/live', status_class: '2xx' })).toBe(3)
    expect(valueOf(m, 'onescreen_http_request_duration_seconds_count', { method: 'GET', route: '/api/incidents/:id', status_class: '4xx' })).toBe(1)
    const routes = m.get('onescreen_http_request_duration_seconds')!.samples.map(s => s.labels.route)
    expect(routes.some(r => r?.includes('NOPE'))).toBe(false)
  })

  it('counts connected sockets by caller kind and roles', async () => {
    const url = await t.listen()
    const op = await t.as('operator')
    const w = watcher(url, null, op.cookie)
    try {
      await Promise.race([w.ready, new Promise((_, reject) => w.socket.on('connect_error', reject))])
      const m = await scrape()
      expect(valueOf(m, 'onescreen_sockets_connected', { kind: 'user', role: 'operator' })).toBe(1)
    }
    finally {
      w.socket.close()
    }
  })

  it('reports commits, the change-log head, overdue incidents and escalations after a report', async () => {
    const before = valueOf(await scrape(), 'onescreen_commit_group_size_sum') ?? 0
    const fx = fixtures(t.ctx)
    const res = await t.app.inject({ method: 'POST', url: '/api/incidents', headers: await t.as('operator'), payload: fx.report() })
    expect(res.statusCode, res.body).toBe(201)
    const deadline = res.json().stageDeadline as string
    let m = await scrape()
    expect(valueOf(m, 'onescreen_commit_group_size_sum')).toBeGreaterThan(before)
    expect(valueOf(m, 'onescreen_commit_duration_seconds_count', { result: 'ok' })).toBeGreaterThanOrEqual(1)
    expect(valueOf(m, 'onescreen_commit_duration_seconds_sum', { result: 'ok' })).toBeGreaterThan(0)
    expect(valueOf(m, 'onescreen_changelog_head_seq')).toBe(await t.ctx.store.head())
    expect(valueOf(m, 'onescreen_incidents_overdue_open')).toBe(0)
    expect(valueOf(m, 'onescreen_escalations_total', { kind: 'incident' })).toBe(0)

    // Past its deadline: overdue, then escalated by the clock's pass.
    clock = new Date(Date.parse(deadline) + 60_000)
    m = await scrape()
    expect(valueOf(m, 'onescreen_incidents_overdue_open')).toBeGreaterThanOrEqual(1)
    expect(await t.ctx.incidents.escalateDue()).toBeGreaterThanOrEqual(1)
    m = await scrape()
    expect(valueOf(m, 'onescreen_escalations_total', { kind: 'incident' })).toBeGreaterThanOrEqual(1)
    expect(valueOf(m, 'process_cpu_user_seconds_total')).toBeGreaterThan(0)
    expect(valueOf(m, 'nodejs_heap_size_used_bytes')).toBeGreaterThan(0)
  })

  it('reports the CAP feed poll, the webhook outbox and a gauge registered later', async () => {
    let m = await scrape()
    expect(valueOf(m, 'onescreen_cap_feed_up')).toBeUndefined()
    expect(valueOf(m, 'onescreen_webhook_outbox_backlog')).toBe(0)
    expect(valueOf(m, 'onescreen_example_later')).toBeUndefined()
    const failing = (async () => new Response('down', { status: 502 })) as typeof fetch
    const stop = startCapFeed(t.ctx, { url: 'http://feed.invalid/feed.xml', everyMs: 3_600_000, fetch: failing })
    for (let i = 0; i < 100 && valueOf(await scrape(), 'onescreen_cap_feed_up') === undefined; i++)
      await new Promise(r => setTimeout(r, 10))
    stop()
    t.ctx.metrics.registerGauge('onescreen_example_later', 'A gauge another module adds after start.', () => 7)
    m = await scrape()
    expect(valueOf(m, 'onescreen_cap_feed_up')).toBe(0)
    expect(valueOf(m, 'onescreen_cap_feed_last_poll_timestamp_seconds')).toBe(clock.getTime() / 1000)
    expect(valueOf(m, 'onescreen_example_later')).toBe(7)
  })

  it('backs every query of docs/grafana-dashboard.json with a metric the server exposes', async () => {
    const dashboard = JSON.parse(readFileSync(new URL('../../../docs/grafana-dashboard.json', import.meta.url), 'utf8'))
    expect(dashboard.templating.list.find((v: { type: string }) => v.type === 'datasource')).toMatchObject({ name: 'datasource', query: 'prometheus' })
    const panels = dashboard.panels as { id: number, type: string, datasource?: { uid: string }, targets?: { expr: string }[] }[]
    expect(new Set(panels.map(p => p.id)).size).toBe(panels.length)
    // A family with no sample now (no socket connected) is still exposed: its HELP and TYPE are there.
    const exposed = new Set([...(await scrape()).values()].flatMap(f => [f.name, ...f.samples.map(s => s.name)]))
    const used = panels.flatMap(p => (p.targets ?? []).flatMap(t => t.expr.match(/\b(?:onescreen|process|nodejs)_\w+/g) ?? []))
    expect(used.length).toBeGreaterThan(20)
    expect(used.filter(n => !exposed.has(n)), 'queried, not exposed').toEqual([])
    for (const p of panels.filter(p => p.type !== 'row'))
      // eslint-disable-next-line no-template-curly-in-string -- Grafana's variable syntax, not a template
      expect(p.datasource, `panel ${p.id}`).toEqual({ type: 'prometheus', uid: '${datasource}' })
  })
})

describe('metrics access', () => {
  const apps: TestApp[] = []
  afterAll(() => Promise.all(apps.map(a => a.close())))
  async function app(config: Parameters<typeof buildTestApp>[0]) {
    const a = await buildTestApp(config)
    apps.push(a)
    return a
  }

  it('with a key setting (the default) needs an API key with the metrics:read scope', async () => {
    const t = await app({})
    expect(t.ctx.config.metrics).toBe('key')
    const anonymous = await t.app.inject('/metrics')
    expect(anonymous.statusCode).toBe(401)
    expect(anonymous.json()).toMatchObject({ statusCode: 401, field: 'authorization' })
    const user = await t.app.inject({ url: '/metrics', headers: await t.as('admin') })
    expect(user.statusCode).toBe(403)
    const other = await t.app.inject({ url: '/metrics', headers: await keyWith(t, ['changes:read']) })
    expect(other.statusCode).toBe(403)
    expect(other.json().message).toContain('metrics:read')
    const audit = await t.app.inject({ url: '/api/audit?action=metrics:read', headers: await t.as('admin') })
    expect(audit.body).toContain('metrics:read')
    const unknown = await t.app.inject({ url: '/metrics', headers: { authorization: 'Bearer not-a-key' } })
    expect(unknown.statusCode).toBe(401)
  })

  it('when off answers 404 in the error shape, even to a key with the scope', async () => {
    const t = await app({ config: { metrics: 'off' } })
    const res = await t.app.inject({ url: '/metrics', headers: await keyWith(t, ['metrics:read']) })
    expect(res.statusCode).toBe(404)
    expect(res.json()).toMatchObject({ statusCode: 404, error: 'Not Found', field: 'url' })
  })

  it('when open needs no key, but the allow list still narrows who may read', async () => {
    const open = await app({ config: { metrics: 'open' } })
    expect((await open.app.inject('/metrics')).statusCode).toBe(200)
    const narrowed = await app({ config: { metrics: 'open', metricsAllow: ['10.0.0.0/8'] } })
    const refused = await narrowed.app.inject({ url: '/metrics', remoteAddress: '192.168.1.9' })
    expect(refused.statusCode).toBe(403)
    expect((await narrowed.app.inject({ url: '/metrics', remoteAddress: '10.2.3.4' })).statusCode).toBe(200)
  })

  it('matches addresses and CIDRs, IPv4 on a dual-stack socket too', () => {
    const allowed = allowList(['127.0.0.1', '10.0.0.0/8', 'fd00::/8'])!
    expect(allowed('127.0.0.1')).toBe(true)
    expect(allowed('::ffff:10.9.8.7')).toBe(true)
    expect(allowed('fd12::1')).toBe(true)
    expect(allowed('11.0.0.1')).toBe(false)
    expect(allowed('::1')).toBe(false)
    expect(allowList([])).toBeNull()
  })
})
