import type { Principal } from '../../shared/auth/authz.ts'
import type { KeyScope } from '../../shared/auth/scopes.ts'
import type { IncidentWithHistory, ReportBody } from '../../shared/incident/schema.ts'
import type { Result } from '../../shared/kernel/result.ts'
import type { Open311Request, PostAnswer, PostRequest, RequestsQuery } from '../../shared/open311/schema.ts'
import type { Lang } from '../../shared/open311/services.ts'
import type { LngLat } from '../../shared/territory/types.ts'
import type { Origin } from '../audit/service.ts'
import type { AppContext } from '../context.ts'
import { authorizeKey, keyCovers } from '../../shared/auth/authz.ts'
import { fail, succeed } from '../../shared/kernel/result.ts'
import { dayOf } from '../../shared/kernel/time.ts'
import { agencyOf, noticeOf, requestOf } from '../../shared/open311/requests.ts'
import { checkAttributes, keptAttributes } from '../../shared/open311/services.ts'
import { categoryByCode } from '../../shared/organisation/catalog.ts'
import { fingerprintOf } from '../kernel/idempotency.ts'

// Open311 GeoReport v2 over the incident service: a posted request is a report like any other (channel open311,
// routed, on the wall at once); the read methods answer incidents in the spec's words, without personal data.

/** The spec's default window for GET requests, and the most it answers at once. */
export const WINDOW_DAYS = 90
export const MAX_REQUESTS = 1000
const DAY_MS = 86_400_000

/** A comma-separated list parameter (service_request_id, service_code, status). */
const split = (s: string) => s.split(',').map(x => x.trim()).filter(Boolean)

type Deps = Pick<AppContext, 'auth' | 'incidents' | 'store' | 'audit' | 'config' | 'reference' | 'catalog' | 'grids' | 'now'>

export interface Open311Call {
  /** The `api_key` parameter, or the key the auth hook found in an `Authorization: Bearer` header. */
  apiKey: string | undefined
  bearer: Principal | null
  origin: Origin
}

export function createOpen311Service(deps: Deps) {
  /**
   * The key behind a call, allowed one of `scopes`. Open311 clients pass their key as a parameter, which the auth
   * hook does not read; a cookie session never counts here (these routes take no CSRF token).
   */
  async function keyFor(call: Open311Call, ...scopes: KeyScope[]): Promise<Result<Principal>> {
    const principal = call.apiKey ? await deps.auth.resolveKey(call.apiKey) : call.bearer?.kind === 'key' ? call.bearer : null
    if (!principal)
      return fail('forbidden', call.apiKey ? 'api_key is unknown or revoked' : 'api_key is required', 'api_key')
    const decisions = scopes.map(s => authorizeKey(principal, s))
    const denied = decisions.every(d => !d.allow) ? decisions[0] : undefined
    if (denied && !denied.allow) {
      await deps.audit.record(principal, call.origin, { action: `key:${scopes.join('|')}`, target: 'open311', result: 'deny', detail: denied.reason })
      return fail('forbidden', `api_key: ${denied.reason}`, 'api_key')
    }
    return succeed(principal)
  }

  /** Who may read requests: a key with incidents:read (within its communities), or anyone when the install allows it. */
  async function reader(call: Open311Call): Promise<Result<Principal | null>> {
    if (deps.config.open311PublicReads && !call.apiKey && !call.bearer)
      return succeed(null)
    return keyFor(call, 'incidents:read')
  }

  /** Where an address alone is: a grid or community named by address_id or within address_string. */
  function locate(body: PostRequest): Result<LngLat> {
    const { grids, communities } = deps.reference.territory
    if (body.lat !== undefined || body.long !== undefined) {
      if (body.lat === undefined || body.long === undefined)
        return fail('invalid', `${body.lat === undefined ? 'lat' : 'long'} is required with ${body.lat === undefined ? 'long' : 'lat'}`, body.lat === undefined ? 'lat' : 'long')
      return succeed({ lat: Number(body.lat), lon: Number(body.long) })
    }
    const id = body.address_id?.trim()
    if (id) {
      const place = grids.find(g => g.id === id) ?? communities.find(c => c.id === id)
      return place ? succeed(place.center) : fail('invalid', `address_id ${id} is neither a grid nor a community of ${deps.reference.territory.subdistrict.name}`, 'address_id')
    }
    const address = body.address_string?.trim()
    if (!address)
      return fail('invalid', 'lat and long, address_string or address_id is required', 'lat')
    // The longest name wins: a grid's name usually contains its community's.
    const named = [...grids, ...communities].filter(p => p.name && address.includes(p.name)).sort((a, b) => b.name.length - a.name.length)[0]
    return named ? succeed(named.center) : fail('invalid', `address_string names no grid or community we know; send lat and long`, 'address_string')
  }

  async function post(body: PostRequest, call: Open311Call, idempotencyKey?: string): Promise<Result<PostAnswer[]>> {
    const key = await keyFor(call, 'incidents:report')
    if (!key.ok)
      return key
    const category = categoryByCode(deps.catalog, body.service_code)
    if (!category)
      return fail('invalid', `service_code ${body.service_code} is not a service of ours`, 'service_code')
    const bad = checkAttributes(category.attributes ?? [], body.attribute)
    if (bad)
      return fail('invalid', bad.message, bad.field)
    const at = locate(body)
    if (!at.ok)
      return at
    const name = nameOf(body.first_name, body.last_name)
    const attributes = keptAttributes(category.attributes ?? [], body.attribute)
    const report: ReportBody = {
      category: category.code,
      description: body.description?.trim() || category.name,
      location: at.data,
      channel: 'open311',
      ...(body.address_string?.trim() ? { address: body.address_string.trim() } : {}),
      ...(name ? { reporterName: name } : {}),
      ...(body.phone?.trim() ? { reporterPhone: body.phone.trim() } : {}),
      ...(body.media_url ? { mediaUrl: body.media_url } : {}),
      ...(Object.keys(attributes).length ? { attributes } : {}),
    }
    // A client that retries a POST (a timeout, a dropped answer) must not make a second incident: its own
    // Idempotency-Key if it sends one, else the request itself (within the day) is the key.
    const { api_key: _, ...request } = body
    const opKey = idempotencyKey ? `open311:${idempotencyKey}` : `open311:fp:${fingerprintOf(request)}:${dayOf(deps.now())}`
    const res = await deps.incidents.report(report, { principal: key.data, origin: call.origin, opKey })
    if (!res.ok)
      return res.field === 'location' ? { ...res, field: 'lat' } : res
    const inc = res.data
    const notice = noticeOf(inc, agencyOf(inc, deps.reference, deps.catalog, 'zh'), 'zh')
    return { ...res, data: [{ service_request_id: inc.id, service_notice: notice, account_id: body.account_id ?? null }] }
  }

  /** A request with what it reports: for a merged one, the incident it was merged into. */
  async function view(inc: IncidentWithHistory, lang: Lang, targets = new Map<string, IncidentWithHistory | null>()): Promise<Open311Request> {
    let mergedInto: IncidentWithHistory | null = null
    if (inc.state === 'merged' && inc.mergedInto) {
      if (!targets.has(inc.mergedInto))
        targets.set(inc.mergedInto, await deps.store.getIncident(inc.mergedInto))
      mergedInto = targets.get(inc.mergedInto) ?? null
    }
    return requestOf(inc, { ref: deps.reference, catalog: deps.catalog, lang, mergedInto })
  }

  async function get(id: string, call: Open311Call, lang: Lang): Promise<Result<Open311Request>> {
    const who = await reader(call)
    if (!who.ok)
      return who
    const inc = await deps.store.getIncident(id)
    if (!inc || (who.data && !keyCovers(who.data, inc.owner.communityId)))
      return fail('not_found', `service_request_id ${id} does not exist`, 'service_request_id')
    return succeed(await view(inc, lang))
  }

  async function list(q: RequestsQuery, call: Open311Call, lang: Lang): Promise<Result<Open311Request[]>> {
    const who = await reader(call)
    if (!who.ok)
      return who
    const covers = (communityId: string | null) => !who.data || keyCovers(who.data, communityId)
    const targets = new Map<string, IncidentWithHistory | null>()
    // service_request_id overrides every other filter (the spec).
    if (q.service_request_id !== undefined) {
      const ids = [...new Set(split(q.service_request_id))]
      if (ids.length > 100)
        return fail('invalid', 'service_request_id names more than 100 requests', 'service_request_id')
      const found = await Promise.all(ids.map(id => deps.store.getIncident(id)))
      const visible = found.filter((i): i is IncidentWithHistory => i !== null && covers(i.owner.communityId))
      return succeed(await Promise.all(visible.map(i => view(i, lang, targets))))
    }
    const window = windowOf(q, deps.now())
    if (!window.ok)
      return window
    const codes = q.service_code === undefined ? null : new Set(split(q.service_code))
    const statuses = q.status === undefined ? null : new Set(split(q.status))
    const candidates = (await deps.store.listReportedBetween(window.data.from, window.data.to))
      .filter(i => (!codes || codes.has(i.category)) && covers(i.owner.communityId))
      .reverse()
    const out: Open311Request[] = []
    for (const inc of candidates) {
      if (out.length >= MAX_REQUESTS)
        break
      // Only a finished request's notes come from its history (a rejection's or resolution's reason).
      const full = inc.state === 'reported' || inc.state === 'accepted' || inc.state === 'assigned' || inc.state === 'handling' ? { ...inc, history: [] } : await deps.store.getIncident(inc.id)
      if (!full)
        continue
      const r = await view(full, lang, targets)
      if (!statuses || statuses.has(r.status))
        out.push(r)
    }
    return succeed(out)
  }

  /**
   * We never defer a request, so a token is the request's own id: a client that polls it gets the id back. A key
   * that only reports finds its own requests; one that reads, those of its communities.
   */
  async function token(value: string, call: Open311Call): Promise<Result<{ service_request_id: string, token: string }[]>> {
    const public_ = deps.config.open311PublicReads && !call.apiKey && !call.bearer
    const key = public_ ? null : await keyFor(call, 'incidents:read', 'incidents:report')
    if (key && !key.ok)
      return key
    const inc = await deps.store.getIncidentState(value)
    const p = key?.data
    const mine = !p || inc?.reporterId === p.id || (authorizeKey(p, 'incidents:read').allow && keyCovers(p, inc?.owner.communityId ?? null))
    if (!inc || !mine)
      return fail('not_found', `token ${value} does not exist`, 'token')
    return succeed([{ service_request_id: inc.id, token: value }])
  }

  return { post, get, list, token }
}

export type Open311Service = ReturnType<typeof createOpen311Service>

/** The reported-at window: the spec's 90 days, ending now or 90 days after start_date, never longer. */
function windowOf(q: RequestsQuery, now: Date): Result<{ from: string, to: string }> {
  const start = q.start_date ? Date.parse(q.start_date) : null
  const end = q.end_date ? Date.parse(q.end_date) : start !== null ? start + WINDOW_DAYS * DAY_MS : now.getTime()
  const from = start ?? end - WINDOW_DAYS * DAY_MS
  if (from > end)
    return fail('invalid', 'start_date is after end_date', 'start_date')
  if (end - from > WINDOW_DAYS * DAY_MS)
    return fail('invalid', `end_date is more than ${WINDOW_DAYS} days after start_date: ask for ${WINDOW_DAYS} days at a time`, 'end_date')
  // Both ends inclusive: a request made this very millisecond is in the default window.
  return succeed({ from: new Date(from).toISOString(), to: new Date(end + 1).toISOString() })
}

/** The reporter's name: family name first without a space for Chinese names, given name first otherwise. */
function nameOf(first?: string, last?: string): string {
  const f = first?.trim() ?? ''
  const l = last?.trim() ?? ''
  return /[\u4E00-\u9FFF]/.test(f + l) ? `${l}${f}` : [f, l].filter(Boolean).join(' ')
}
