import type { Hints, JsonSchema } from './fuzz-arbitraries.ts'
import type { Caller, Route, World } from './fuzz-world.ts'
import { readdirSync } from 'node:fs'
import { STATUS_CODES } from 'node:http'
import { crc32, deflateSync } from 'node:zlib'
import fc from 'fast-check'
import { DEMO_INTEGRATION_KEY } from '../../../server/auth/accounts.ts'
import { big, deep, expand, nearMiss, valid, wild } from './fuzz-arbitraries.ts'
import { CALLERS, capFixture, hintsFor } from './fuzz-world.ts'

// One random HTTP request to one route, as plain data (so fast-check prints and shrinks it), and how it is sent.

export type Body
  = | { kind: 'none' }
    | { kind: 'json', value: unknown }
    | { kind: 'raw', text: string }
    | { kind: 'multipart', part: Part }
    | { kind: 'xml', text: string }

const PARTS = ['jpeg', 'bomb', 'bytes', 'no-boundary', 'wrong-boundary', 'truncated', 'wrong-field', 'two-files', 'empty'] as const
type Part = typeof PARTS[number]

export interface HttpCase {
  caller: Caller
  path: string
  query: string
  body: Body
  /** `auto`: what the body kind implies; null: no content-type header at all. */
  contentType: string | null
  csrf: 'right' | 'wrong' | 'missing'
  headers: Record<string, string>
}

const ascii = fc.string({ unit: fc.integer({ min: 0x20, max: 0x7E }).map(c => String.fromCharCode(c)), maxLength: 40 })
const odd = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 30 }),
  fc.constantFrom('', ' ', '.', '..', '~', '%', '%zz', '%00', '%E0%A4%A', '..%2F..%2Fetc%2Fpasswd', '%2e%2e%2f', 'null', 'undefined', '-1', '0', '1e400', '99999999999999999999999', '__proto__', 'constructor', '?', '#', big(64), big(65), big(201), big(5000)),
)
/** Raw text that is left unescaped on purpose (a broken escape, a traversal), or anything, escaped. */
const segment = fc.oneof(odd.map(s => (/^[\w.~%-]*$/.test(s) || s.startsWith('\0') ? s : encodeURIComponent(s))), ascii.map(encodeURIComponent))

function pathOf(route: Route, hints: Hints): fc.Arbitrary<string> {
  const names = [...route.url.matchAll(/:(\w+)/g)].map(m => m[1]!)
  const props = route.schema.params?.properties ?? {}
  const params = names.map(n => fc.oneof(
    { weight: 3, arbitrary: valid(props[n] ?? { type: 'string' }, hints, n).map(v => encodeURIComponent(String(v))) },
    { weight: 2, arbitrary: segment },
  ))
  return fc.tuple(...params).map(values => names.reduce((url, n, i) => url.replace(`:${n}`, values[i]!), route.url))
}

function queryOf(schema: JsonSchema | undefined, hints: Hints): fc.Arbitrary<string> {
  const keys = [...Object.keys(schema?.properties ?? {}), 'since', 'limit', 'month', '__proto__', 'constructor', 'a[b]', 'x[]']
  const value = fc.oneof(ascii, odd, fc.integer().map(String), fc.double().map(String), fc.constantFrom('-1', '0', '1', '1000', '1001', '2026-13', '9007199254740993', 'true'))
  const pairs = fc.array(fc.tuple(fc.constantFrom(...keys), value), { maxLength: 5 })
    .map(ps => ps.map(([k, v]) => `${encodeURIComponent(k)}=${v.startsWith('\0') ? v : encodeURIComponent(v)}`).join('&'))
  const schemaValid = schema
    ? valid(schema, hints).map(q => Object.entries(q as Record<string, unknown>).flatMap(([k, v]) => [v].flat().map(x => `${k}=${encodeURIComponent(String(x))}`)).join('&'))
    : fc.constant('')
  return fc.oneof(
    { weight: 2, arbitrary: fc.constant('') },
    { weight: 3, arbitrary: schemaValid },
    { weight: 3, arbitrary: pairs },
    { weight: 1, arbitrary: fc.constantFrom('%', '&&&', '=', 'a=%zz', 'since=1&since=2', 'month=2026-01&month=2026-02', '__proto__[polluted]=1', `q=${big(100_000)}`) },
  )
}

const CAP_FILES = readdirSync(new URL('../../fixtures/cap/', import.meta.url)).filter(f => /\.(?:xml|cap)$/.test(f))
const xml: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(...CAP_FILES).map(capFixture),
  fc.tuple(fc.constantFrom(...CAP_FILES), fc.nat()).map(([f, at]) => capFixture(f).slice(0, at % 1800)),
  fc.tuple(fc.constantFrom(...CAP_FILES), fc.constantFrom('identifier', 'sent', 'status', 'msgType', 'severity', 'polygon', 'circle', 'effective', 'expires', 'areaDesc', 'info'), ascii)
    .map(([f, tag, v]) => capFixture(f).replace(new RegExp(`<${tag}>[^<]*</${tag}>`), `<${tag}>${v.replace(/[<&]/g, '')}</${tag}>`)),
  fc.constantFrom(
    '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;"><!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;"><!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">]><alert xmlns="urn:oasis:names:tc:emergency:cap:1.2"><identifier>&lol4;</identifier></alert>',
    '<?xml version="1.0"?><!DOCTYPE a [<!ENTITY x SYSTEM "file:///etc/passwd">]><alert xmlns="urn:oasis:names:tc:emergency:cap:1.2"><identifier>&x;</identifier></alert>',
    `<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2">${big(20_000, '<info>')}${big(20_000, '</info>')}</alert>`,
    '<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2"/>',
    '<alert>',
    '',
  ),
  fc.string({ unit: 'binary', maxLength: 200 }),
)

/** Bodies near the route's schema, anything JSON can say, raw text, multipart and XML, weighted to what the route reads. */
function bodyOf(route: Route, hints: Hints): fc.Arbitrary<Body> {
  const schema = route.schema.body
  const json = (a: fc.Arbitrary<unknown>) => a.map(value => ({ kind: 'json' as const, value }))
  const typed = schema && schema.type !== 'string'
  const isCap = route.url === '/api/cap'
  const isPhoto = route.url === '/api/photos'
  return fc.oneof(
    { weight: typed ? 5 : 0, arbitrary: json(schema ? valid(schema, hints) : fc.constant({})) },
    { weight: typed ? 6 : 0, arbitrary: json(schema ? nearMiss(schema, hints) : fc.constant({})) },
    { weight: 1, arbitrary: json(fc.jsonValue()) },
    { weight: 1, arbitrary: json(fc.anything({ withNullPrototype: true, withObjectString: true, withDate: true, withSparseArray: true })) },
    { weight: 1, arbitrary: json(wild) },
    { weight: 1, arbitrary: fc.constantFrom(deep(5000), deep(5001), deep(100_000), deep(100_001)).map(value => ({ kind: 'json' as const, value })) },
    { weight: 1, arbitrary: fc.oneof(fc.string({ unit: 'binary' }), fc.constantFrom('{"category":', '\uFEFF{}', 'null', '"', '{"__proto__":{"polluted":1}}', '{"constructor":{"prototype":{"polluted":1}}}', big(300_000), big(200_000)))
      .map(text => ({ kind: 'raw' as const, text })) },
    { weight: isPhoto ? 8 : 1, arbitrary: fc.constantFrom(...PARTS).map(part => ({ kind: 'multipart' as const, part })) },
    { weight: isCap ? 8 : 1, arbitrary: xml.map(text => ({ kind: 'xml' as const, text })) },
    { weight: 2, arbitrary: fc.constant({ kind: 'none' as const }) },
  )
}

const CONTENT_TYPES = ['application/json', 'application/json; charset=utf-8', 'application/json; charset=latin1', 'application/JSON', 'text/plain', 'text/plain; charset=utf-8', 'application/x-www-form-urlencoded', 'multipart/form-data', 'multipart/form-data; boundary=', 'multipart/form-data; boundary=zzz', 'application/xml', 'text/xml', 'application/cap+xml', 'application/octet-stream', 'image/jpeg', '', '*/*', 'application/vnd.api+json', 'json', ';;;', 'application/json; boundary="']

/** Headers a client may get wrong, each sent alone. */
const ODD_HEADERS: [string, string][] = [
  ...['http://localhost', 'http://localhost:80', 'https://evil.example', 'null', 'not a url'].map(v => ['origin', v] as [string, string]),
  ...['Bearer nope', 'Bearer ', 'Basic Zm9vOmJhcg==', `bearer ${DEMO_INTEGRATION_KEY}`].map(v => ['authorization', v] as [string, string]),
  ...['*/*', 'text/html', 'application/xml', 'application/json;q=0'].map(v => ['accept', v] as [string, string]),
  ...['0', '1', '-1', 'abc', '99999999'].map(v => ['content-length', v] as [string, string]),
  ['content-encoding', 'gzip'],
  ['content-encoding', 'br'],
  ['transfer-encoding', 'chunked'],
]

/** Every route gets this: any caller, any path params, query, body, content type and headers. */
export function httpCase(world: Pick<World, 'known' | 't'>, route: Route): fc.Arbitrary<HttpCase> {
  const hints = hintsFor(world, route.url.split('/')[2] ?? '')
  const header = fc.oneof(fc.constant(''), ascii, fc.constantFrom(big(201), big(5000)))
  return fc.record({
    caller: fc.constantFrom(...CALLERS),
    path: pathOf(route, hints),
    query: queryOf(route.schema.querystring, hints),
    body: route.method === 'GET' || route.method === 'HEAD' || route.method === 'DELETE' ? fc.oneof({ weight: 6, arbitrary: fc.constant({ kind: 'none' as const }) }, { weight: 1, arbitrary: bodyOf(route, hints) }) : bodyOf(route, hints),
    contentType: fc.oneof({ weight: 12, arbitrary: fc.constant('auto') }, { weight: 2, arbitrary: fc.constantFrom(...CONTENT_TYPES) }, { weight: 1, arbitrary: fc.constant(null) }),
    csrf: fc.oneof({ weight: 9, arbitrary: fc.constant('right' as const) }, { weight: 1, arbitrary: fc.constantFrom('wrong' as const, 'missing' as const) }),
    headers: fc.oneof(
      { weight: 5, arbitrary: fc.constant({}) },
      { weight: 3, arbitrary: header.map(v => ({ 'idempotency-key': v })) },
      { weight: 2, arbitrary: fc.constantFrom(...ODD_HEADERS).map(([k, v]) => ({ [k]: v })) },
      { weight: 1, arbitrary: fc.tuple(fc.constantFrom('idempotency-key', 'x-request-id', 'cookie', 'x-forwarded-for', 'accept-language'), header).map(([k, v]) => ({ [k]: v })) },
    ),
  })
}

const JPEG = Buffer.from('/9j/4AAQSkZJRgABAQAAAQABAAD/2wBDAAgGBgcGBQgHBwcJCQgKDBQNDAsLDBkSEw8UHRofHh0aHBwgJC4nICIsIxwcKDcpLDAxNDQ0Hyc5PTgyPC4zNDL/wAALCAABAAEBAREA/8QAFAABAAAAAAAAAAAAAAAAAAAACf/EABQQAQAAAAAAAAAAAAAAAAAAAAD/2gAIAQEAAD8AVN//2Q==', 'base64')

/** A small PNG that claims 100,000 × 100,000 pixels: a decompression bomb is refused, not decoded. */
const BOMB = (() => {
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type), data])
    const frame = Buffer.alloc(8 + data.length + 4)
    frame.writeUInt32BE(data.length, 0)
    body.copy(frame, 4)
    frame.writeUInt32BE(crc32(body), 8 + data.length)
    return frame
  }
  const header = Buffer.alloc(13)
  header.writeUInt32BE(100_000, 0)
  header.writeUInt32BE(100_000, 4)
  header[8] = 8 // bit depth; colour type 0 (grey)
  return Buffer.concat([Buffer.from('89504e470d0a1a0a', 'hex'), chunk('IHDR', header), chunk('IDAT', deflateSync(Buffer.alloc(100_000))), chunk('IEND', Buffer.alloc(0))])
})()

function multipart(part: Part): { payload: Buffer, type: string } {
  const b = 'fuzzboundary'
  const file = (name: string, data: Buffer) => Buffer.concat([Buffer.from(`--${b}\r\nContent-Disposition: form-data; name="${name}"; filename="a.jpg"\r\nContent-Type: image/jpeg\r\n\r\n`), data, Buffer.from('\r\n')])
  const end = Buffer.from(`--${b}--\r\n`)
  const type = `multipart/form-data; boundary=${b}`
  switch (part) {
    case 'jpeg': return { payload: Buffer.concat([file('file', JPEG), end]), type }
    case 'bomb': return { payload: Buffer.concat([file('file', BOMB), end]), type }
    case 'bytes': return { payload: Buffer.concat([file('file', Buffer.from('not an image at all')), end]), type }
    case 'no-boundary': return { payload: Buffer.concat([file('file', JPEG), end]), type: 'multipart/form-data' }
    case 'wrong-boundary': return { payload: Buffer.concat([file('file', JPEG), end]), type: 'multipart/form-data; boundary=other' }
    case 'truncated': return { payload: file('file', JPEG).subarray(0, 90), type }
    case 'wrong-field': return { payload: Buffer.concat([file('photo', JPEG), end]), type }
    case 'two-files': return { payload: Buffer.concat([file('file', JPEG), file('file', JPEG), end]), type }
    case 'empty': return { payload: Buffer.alloc(0), type }
  }
}

/** The request as light-my-request takes it. */
export function materialise(world: Pick<World, 'session'>, method: string, c: HttpCase) {
  const headers: Record<string, string> = Object.fromEntries(Object.entries(c.headers).map(([k, v]) => [k, expand(v)]))
  const s = world.session(c.caller)
  if (c.caller === 'integration')
    headers.authorization = `Bearer ${DEMO_INTEGRATION_KEY}`
  if (s) {
    headers.cookie = s.cookie
    if (c.csrf !== 'missing')
      headers['x-csrf-token'] = c.csrf === 'right' ? s.csrf : `${s.csrf}x`
  }
  let payload: string | Buffer | undefined
  let implied: string | undefined
  if (c.body.kind === 'json') {
    const text = JSON.stringify(c.body.value)
    payload = text === undefined ? undefined : expand(text)
    implied = 'application/json'
  }
  else if (c.body.kind === 'raw' || c.body.kind === 'xml') {
    payload = expand(c.body.text)
    implied = c.body.kind === 'xml' ? 'application/cap+xml' : 'text/plain'
  }
  else if (c.body.kind === 'multipart') {
    const m = multipart(c.body.part)
    payload = m.payload
    implied = m.type
  }
  const type = c.contentType === 'auto' ? implied : c.contentType ?? undefined
  if (type !== undefined)
    headers['content-type'] = type
  const url = `${expand(c.path)}${c.query ? `?${expand(c.query)}` : ''}`
  return { method: method as 'GET', url, headers, payload }
}

// `problems`: an upload's row-level problems (a package, cases, the register), documented in ErrorResponse.
const ERROR_KEYS = new Set(['statusCode', 'error', 'message', 'field', 'state', 'allowed', 'problems'])

/** What is wrong with an error answer, against the one documented shape; empty when nothing is. */
export function shapeProblems(status: number, contentType: string | undefined, body: string): string[] {
  if (!contentType?.startsWith('application/json'))
    return [`content-type is ${contentType}, not JSON`]
  let e: Record<string, unknown>
  try {
    e = JSON.parse(body) as Record<string, unknown>
  }
  catch {
    return ['the body is not JSON']
  }
  if (!e || typeof e !== 'object' || Array.isArray(e))
    return ['the body is not an object']
  const problems = Object.keys(e).filter(k => !ERROR_KEYS.has(k)).map(k => `unexpected key ${k}`)
  if (e.statusCode !== status)
    problems.push(`statusCode ${String(e.statusCode)} is not the status ${status}`)
  if (e.error !== STATUS_CODES[status])
    problems.push(`error ${JSON.stringify(e.error)} is not ${JSON.stringify(STATUS_CODES[status])}`)
  if (typeof e.message !== 'string')
    problems.push('message is not a string')
  for (const k of ['field', 'state'] as const) {
    if (k in e && typeof e[k] !== 'string')
      problems.push(`${k} is not a string`)
  }
  if ('allowed' in e && !(Array.isArray(e.allowed) && e.allowed.every(a => typeof a === 'string')))
    problems.push('allowed is not a list of strings')
  return problems
}
