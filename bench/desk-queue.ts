import type { IncidentMutation } from '../server/db/store.ts'
// The desk's queue over 100,000 incidents (#14): the first page a community desk opens and a text search, through
// the whole HTTP path (session, authorisation, schema, JSON), against plain SQL on the same table in the same run.
import type { Incident } from '../shared/incident/schema.ts'
import type { BenchOptions, BenchResult, Row } from './lib/common.ts'
import { join } from 'node:path'
import { buildApp } from '../server/app.ts'
import { SESSION_COOKIE } from '../server/auth/plugin.ts'
import Database from '../server/db/sqlite/driver.ts'
import { buildBackfill } from '../server/demo/sim/backfill.ts'
import { benchContext, benchDir, ms, percentiles, times } from './lib/common.ts'

const TOTAL = 100_000
/**
 * The desk's page (a page of 20, the tab badges, reach and filters) against reading one incident by its primary
 * key through the same HTTP path (session, authorisation, JSON): the cost of the query work over the floor.
 */
const GOAL_PAGE = 3
/** A search against the same answer (how many match, and the first page) by plain LIKE over the stored rows. */
const GOAL_SEARCH = 1

/** Copies of the demo's history, spread back in time, until there are `total` incidents (each stored as it ended). */
export function manyIncidents(seed: IncidentMutation[], total: number): IncidentMutation[] {
  const finals = new Map<string, IncidentMutation>()
  for (const m of seed) finals.set(m.incident.id, m)
  const base = [...finals.values()]
  const out: IncidentMutation[] = []
  for (let copy = 0; out.length < total; copy++) {
    const shift = copy * 400 * 86_400_000
    for (const m of base) {
      if (out.length >= total)
        break
      const back = (iso: string | null) => iso === null ? null : new Date(Date.parse(iso) - shift).toISOString()
      // Older copies are history: finished. The newest copy keeps its open incidents.
      const inc: Incident = copy === 0
        ? { ...m.incident, version: 1 }
        : { ...m.incident, id: `${m.incident.id}_${copy}`, version: 1, reportedAt: back(m.incident.reportedAt)!, updatedAt: back(m.incident.updatedAt)!, stageDeadline: null, state: m.incident.state === 'rejected' || m.incident.state === 'merged' ? m.incident.state : 'closed', closedAt: back(m.incident.closedAt ?? m.incident.updatedAt) }
      out.push({ kind: 'incident', incident: inc, entry: { ...m.entry, from: null, to: inc.state, at: inc.updatedAt } })
    }
  }
  return out
}

async function sample(n: number, f: () => Promise<void> | void): Promise<number[]> {
  const out: number[] = []
  for (let i = 0; i < n; i++) {
    const t0 = performance.now()
    await f()
    out.push(performance.now() - t0)
  }
  return out
}

export async function deskQueue(opts: BenchOptions): Promise<BenchResult> {
  const n = opts.long ? 400 : 150
  const tmp = benchDir('desk')
  const file = join(tmp.dir, 'desk.sqlite')
  const errors: string[] = []
  try {
    const { ctx, store } = await benchContext(file)
    const people = ctx.reference.org.people
    const password = 'bench-desk-password'
    for (const role of ['community_staff', 'operator'] as const) {
      const person = people.find(p => p.roles.includes(role))!
      await ctx.auth.createAccount({ username: role, password, name: person.name, roles: [role], personId: person.id })
    }
    const seed = buildBackfill(ctx.reference, ctx.catalog, { now: new Date(), months: 13, seed: 'bench-desk' })
    const rows = manyIncidents(seed, TOTAL)
    for (let i = 0; i < rows.length; i += 10_000)
      await store.importMutations(rows.slice(i, i + 10_000))
    const count = await store.countIncidents()
    if (count !== TOTAL)
      errors.push(`expected ${TOTAL} incidents, stored ${count}`)
    const { app } = await buildApp(ctx)
    const login = async (username: string) => {
      const res = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password } })
      const cookie = res.cookies.find(c => c.name === SESSION_COOKIE)
      return { cookie: cookie ? `${cookie.name}=${cookie.value}` : '' }
    }
    const community = await login('community_staff')
    const operator = await login('operator')
    const word = seed.find(m => m.incident.title.length >= 2)!.incident.title.slice(0, 2)
    const get = async (url: string, headers: Record<string, string>) => {
      const res = await app.inject({ method: 'GET', url, headers })
      if (res.statusCode !== 200)
        errors.push(`${url}: ${res.statusCode} ${res.body.slice(0, 200)}`)
      return res
    }
    const firstPage = await get('/api/desk/queue?tab=handling', community)
    const searchPage = await get(`/api/desk/queue?tab=all&q=${encodeURIComponent(word)}`, operator)
    // The plain SQL, on its own connection to the same file.
    const raw = new Database(file, { readonly: true })
    const plainPage = raw.prepare('SELECT data FROM incidents WHERE open = 1 ORDER BY stage_deadline LIMIT 20')
    // The same answer (a page and how many match) by plain SQL over the stored rows.
    const plainScan = raw.prepare('SELECT data FROM incidents WHERE data LIKE ? ORDER BY reported_at DESC LIMIT 20')
    const plainCount = raw.prepare('SELECT COUNT(*) AS n FROM incidents WHERE data LIKE ?')
    const like = `%${word}%`
    const parse = (rs: unknown[]) => (rs as { data: string }[]).map(r => JSON.parse(r.data) as Incident)
    // Warm both sides.
    await sample(10, async () => void await get('/api/desk/queue?tab=handling', community))
    await sample(10, () => void parse(plainPage.all()))
    const page = percentiles(await sample(n, async () => void await get('/api/desk/queue?tab=handling', community)))
    const oneId = firstPage.json().items[0]?.id ?? seed[0]!.incident.id
    await sample(10, async () => void await get(`/api/incidents/${oneId}`, community))
    const oneRead = percentiles(await sample(n, async () => void await get(`/api/incidents/${oneId}`, community)))
    const pageBase = percentiles(await sample(n, () => void parse(plainPage.all())))
    const search = percentiles(await sample(n, async () => void await get(`/api/desk/queue?tab=all&q=${encodeURIComponent(word)}`, operator)))
    const searchBase = percentiles(await sample(n, () => void [plainCount.get(like), parse(plainScan.all(like))]))
    raw.close()
    await app.close()
    ctx.presence.close()
    await store.close()
    const pageRatio = page.p95 / oneRead.p95
    const searchRatio = search.p95 / searchBase.p95
    const out: Row[] = [
      { metric: 'desk first page (community staff, 办理中), p95', value: ms(page.p95), baseline: `${ms(oneRead.p95)} GET one incident by id`, ratio: times(pageRatio), goal: `≤ ${GOAL_PAGE}×`, pass: pageRatio <= GOAL_PAGE },
      { metric: 'desk first page vs the page\'s SQL alone, p95', value: ms(page.p95), baseline: `${ms(pageBase.p95)} indexed SELECT of a page`, ratio: times(page.p95 / pageBase.p95), goal: '', pass: null },
      { metric: `desk search "${word}" (operator, 全部), p95`, value: ms(search.p95), baseline: `${ms(searchBase.p95)} LIKE count + page over the rows`, ratio: times(searchRatio), goal: `≤ ${GOAL_SEARCH}×`, pass: searchRatio <= GOAL_SEARCH },
      { metric: 'desk first page, p50', value: ms(page.p50), baseline: ms(pageBase.p50), ratio: times(page.p50 / pageBase.p50), goal: '', pass: null },
      { metric: 'desk search, p50', value: ms(search.p50), baseline: ms(searchBase.p50), ratio: times(search.p50 / searchBase.p50), goal: '', pass: null },
    ]
    return {
      name: `desk-queue (${TOTAL.toLocaleString('en-US')} incidents in SQLite; ${n} requests per side, in process through app.inject)`,
      rows: out,
      errors,
      notes: [
        `first page: ${firstPage.json().total} in 办理中 for the community, ${firstPage.json().items.length} on the page; search: ${searchPage.json().total} matches`,
        'baselines: GET /api/incidents/:id (a primary-key read with its history) through the same in-process HTTP path; a SELECT … WHERE open = 1 ORDER BY stage_deadline LIMIT 20 on an index; for search, COUNT(*) … WHERE data LIKE … plus the first 20 such rows; the SQL parsed, on a read-only connection to the same file',
      ],
    }
  }
  finally {
    tmp.cleanup()
  }
}
