import type { FastifyInstance, RouteOptions } from 'fastify'
import type { TestApp } from '../../helpers/app.ts'
import dc from 'node:diagnostics_channel'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Ajv2020 from 'ajv/dist/2020.js'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { domainOf } from '../../../server/http/docs.ts'
import { buildTestApp } from '../../helpers/app.ts'

// Every route Fastify registers, seen through an onRoute hook added as each instance starts (before any route).
const seen: { method: string, url: string }[] = []
function collect(msg: unknown) {
  return (msg as { fastify: FastifyInstance }).fastify.addHook('onRoute', (r: RouteOptions) => {
    for (const method of Array.isArray(r.method) ? r.method : [r.method]) seen.push({ method, url: r.url })
  })
}

/**
 * Routes the document leaves out on purpose: HEAD (Fastify adds one per GET), the documentation's own pages and
 * files, and the built client (the static files and the single-page app's fallback).
 */
const EXCLUDED = [
  (r: { method: string }) => r.method === 'HEAD',
  (r: { url: string }) => r.url === '/docs' || r.url.startsWith('/docs/'),
  (r: { url: string }) => r.url === '/*',
]

const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'options', 'head', 'trace'] as const
const openapiPath = (url: string) => url.replace(/:(\w+)/g, '{$1}')

let t: TestApp
let spec: any
let staticDir: string
beforeAll(async () => {
  staticDir = mkdtempSync(join(tmpdir(), 'onescreen-docs-'))
  writeFileSync(join(staticDir, 'index.html'), '<!doctype html><title>client</title>')
  dc.subscribe('fastify.initialization', collect)
  t = await buildTestApp({ config: { staticDir } }).finally(() => dc.unsubscribe('fastify.initialization', collect))
  const res = await t.app.inject('/docs/json')
  expect(res.statusCode).toBe(200)
  spec = res.json()
})
afterAll(async () => {
  await t.close()
  rmSync(staticDir, { recursive: true, force: true })
})

describe('openAPI document', () => {
  it('is OpenAPI 3.1 with well-formed operations, parameters and unique operations per path', () => {
    expect(spec.openapi).toMatch(/^3\.1\.\d+$/)
    expect(spec.info).toMatchObject({ title: expect.any(String), version: expect.stringMatching(/^\d+\.\d+\.\d+/) })
    const tags = new Set((spec.tags as { name: string }[]).map(tg => tg.name))
    for (const [path, item] of Object.entries<any>(spec.paths)) {
      expect(path, path).toMatch(/^\//)
      for (const method of Object.keys(item))
        expect(METHODS as readonly string[], `${path} ${method}`).toContain(method)
      for (const [method, op] of Object.entries<any>(item)) {
        const where = `${method.toUpperCase()} ${path}`
        expect(Object.keys(op.responses ?? {}).length, `${where} has no responses`).toBeGreaterThan(0)
        for (const code of Object.keys(op.responses))
          expect(code, where).toMatch(/^(?:[1-5]\d\d|[1-5]XX|default)$/)
        expect(op.tags, where).toHaveLength(1)
        expect(tags, `${where}: tag ${op.tags[0]} is not declared`).toContain(op.tags[0])
        // Every {param} of the path is a required path parameter, and nothing else is.
        const inPath = [...path.matchAll(/\{(\w+)\}/g)].map(m => m[1]).sort()
        const declared = (op.parameters ?? []).filter((p: any) => p.in === 'path')
        expect(declared.map((p: any) => p.name).sort(), where).toEqual(inPath)
        expect(declared.every((p: any) => p.required === true), where).toBe(true)
      }
    }
  })

  it('holds only valid JSON Schema (2020-12) that compiles, with every $ref resolved', () => {
    const ajv = new Ajv2020({ strict: false, validateFormats: false, allErrors: false })
    ajv.addSchema({ $id: 'doc', components: spec.components }, 'doc')
    const schemas: [string, object][] = []
    for (const [path, item] of Object.entries<any>(spec.paths)) {
      for (const [method, op] of Object.entries<any>(item)) {
        for (const p of op.parameters ?? []) schemas.push([`${method} ${path} ${p.in} ${p.name}`, p.schema])
        for (const [type, c] of Object.entries<any>(op.requestBody?.content ?? {})) schemas.push([`${method} ${path} body ${type}`, c.schema])
        for (const [code, r] of Object.entries<any>(op.responses)) {
          for (const [type, c] of Object.entries<any>(r.content ?? {})) schemas.push([`${method} ${path} ${code} ${type}`, c.schema])
        }
      }
    }
    for (const [name, s] of Object.entries<any>(spec.components.schemas)) schemas.push([`components ${name}`, s])
    expect(schemas.length).toBeGreaterThan(100)
    const compiled = new Set<string>()
    for (const [where, s] of schemas) {
      expect(s, where).toBeTypeOf('object')
      const text = JSON.stringify(s).replaceAll('"#/components/', '"doc#/components/')
      if (!compiled.has(text))
        expect(() => ajv.compile(JSON.parse(text)), where).not.toThrow()
      compiled.add(text)
    }
  })

  it('lists every route the app registers, and nothing else', () => {
    const routes = seen.filter(r => !EXCLUDED.some(x => x(r as never)))
    const registered = new Set(routes.map(r => `${r.method.toLowerCase()} ${openapiPath(r.url)}`))
    const documented = new Set(Object.entries<any>(spec.paths).flatMap(([path, item]) => Object.keys(item).map(m => `${m} ${path}`)))
    expect(registered.size).toBeGreaterThan(80)
    expect([...registered].filter(r => !documented.has(r)), 'registered, not documented').toEqual([])
    expect([...documented].filter(r => !registered.has(r)), 'documented, not registered').toEqual([])
    // The exclusions were really there: HEAD routes, the UI's files, the static client.
    expect(seen.some(r => r.method === 'HEAD')).toBe(true)
    expect(seen.some(r => r.url === '/*')).toBe(true)
    expect(seen.some(r => r.url === '/docs/json')).toBe(true)
  })

  it('tags each route with its domain and marks the scope an API key needs', () => {
    expect(spec.paths['/api/incidents'].post).toMatchObject({ tags: ['incident'], summary: 'Report an incident' })
    expect(spec.paths['/api/incidents'].post.description).toContain('incidents:report')
    expect(spec.paths['/api/changes'].get.tags).toEqual(['sync'])
    expect(spec.paths['/api/desk/queue'].get.tags).toEqual(['desk'])
    expect(spec.paths['/metrics'].get).toMatchObject({ tags: ['ops'] })
    // A path segment with no domain yet (a new integration) is its own tag, never lost.
    expect(domainOf('/open311/v2/requests.json')).toBe('open311')
    expect(domainOf('/api/api-keys/:id')).toBe('auth')
    // A request body is described by its TypeBox schema (the report's fields).
    const body = spec.paths['/api/incidents'].post.requestBody.content['application/json'].schema
    expect(Object.keys(body.properties)).toEqual(expect.arrayContaining(['category', 'description', 'location']))
  })
})

describe('docs UI', () => {
  it('serves Swagger UI from this server only: no URL of another host in the page or its script', async () => {
    const page = await t.app.inject('/docs')
    expect(page.statusCode).toBe(200)
    expect(page.headers['content-type']).toMatch(/text\/html/)
    const init = await t.app.inject('/docs/static/swagger-initializer.js')
    expect(init.statusCode).toBe(200)
    for (const text of [page.body, init.body]) {
      // Comments in the initializer may cite a page; what the browser loads is in src/href and code.
      const code = text.replace(/^\s*\/\/.*$/gm, '').replace(/<!--[\s\S]*?-->/g, '')
      expect(code.match(/(?:https?:)?\/\/[a-z0-9.-]+\.[a-z]{2,}/gi), 'external URL').toBeNull()
    }
    expect(init.body).toContain('validatorUrl: null')
    const assets = [...page.body.matchAll(/(?:src|href)="([^"]+)"/g)].map(m => m[1]!)
    expect(assets.length).toBeGreaterThanOrEqual(5)
    for (const a of assets) {
      const res = await t.app.inject(new URL(a, 'http://x/docs').pathname)
      expect(res.statusCode, a).toBe(200)
    }
  })

  it('answers under the app\'s CSP: scripts from self only, nothing from elsewhere', async () => {
    const csp = String((await t.app.inject('/docs')).headers['content-security-policy'])
    expect(csp).toMatch(/script-src 'self'(;|$)/)
    expect(csp).toMatch(/connect-src 'self'/)
    expect(csp).not.toContain('unsafe-eval')
  })
})

describe('socket events', () => {
  /** Event names as events.ts declares them: the quoted keys of the two event interfaces. */
  function declared(): string[] {
    const source = readFileSync(new URL('../../../shared/realtime/events.ts', import.meta.url), 'utf8')
    return ['ServerToClientEvents', 'ClientToServerEvents'].flatMap((name) => {
      const body = new RegExp(`export interface ${name} \\{([\\s\\S]*?)\\n\\}`).exec(source)?.[1] ?? ''
      return [...body.matchAll(/^ {2}'([\w:-]+)':/gm)].map(m => m[1]!)
    })
  }

  it('lists every event of events.ts in the OpenAPI document, with its payload schema', () => {
    const names = declared()
    expect(names.length).toBeGreaterThanOrEqual(18)
    const listed = spec['x-socket-events'] as { name: string, direction: string, payload: { $ref: string } }[]
    expect(listed.map(e => e.name).sort()).toEqual([...names].sort())
    for (const e of listed) {
      const schema = e.payload.$ref.replace('#/components/schemas/', '')
      expect(spec.components.schemas[schema], e.name).toBeTypeOf('object')
    }
    expect(listed.find(e => e.name === 'incident:report')).toMatchObject({ direction: 'client→server', ack: { $ref: '#/components/schemas/Incident' } })
    expect(spec.info.description).toContain('`change:batch`')
  })

  it('docs/socket-events.md names every event and is what the catalog renders now', async () => {
    const { socketEventsMarkdown } = await import('../../../shared/realtime/catalog.ts')
    const md = readFileSync(new URL('../../../docs/socket-events.md', import.meta.url), 'utf8')
    for (const name of declared())
      expect(md, name).toContain(`## \`${name}\``)
    expect(md, 'run `npm run docs:socket` to regenerate docs/socket-events.md').toBe(socketEventsMarkdown())
  })
})
