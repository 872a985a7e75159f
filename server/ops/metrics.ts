import type { Principal, Reach } from '../../shared/auth/authz.ts'
import type { Store } from '../db/store.ts'
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client'

/** A gauge another part registers and the scrape reads (e.g. the webhook outbox backlog). */
export type GaugeRead = () => number | null | Promise<number | null>

/** The CAP feed poll's last outcome. */
export interface CapPoll { ok: boolean, at: Date }

let processRegistry: Registry | null = null

/**
 * Process metrics (process_*, nodejs_*, unprefixed as every Node dashboard expects): one set per process, made at
 * the first scrape. Each set samples the event loop on its own timer, so not one per app (tests build hundreds).
 */
function processMetrics(): Registry {
  if (!processRegistry) {
    processRegistry = new Registry()
    collectDefaultMetrics({ register: processRegistry })
  }
  return processRegistry
}

/** The whole subdistrict: the overdue gauge counts every open incident, not a desk's share. */
const EVERYWHERE: Reach = { all: true, sectorIds: [], communityIds: [], gridIds: [], assigneeIds: [] }

/**
 * The process's Prometheus metrics: one registry per app (tests build several apps in one process). What is cheap
 * to count is counted as it happens (requests, group commits, escalations); the rest is read at scrape time.
 */
export function createMetrics(deps: { store: Store, now: () => Date }) {
  const registry = new Registry()
  const reads = new Map<string, GaugeRead>()
  let sockets: () => Iterable<{ data: { principal?: Principal } }> = () => []

  const http = new Histogram({
    name: 'onescreen_http_request_duration_seconds',
    help: 'HTTP requests by method, route pattern and status class (2xx, 4xx …), from arrival to the last byte.',
    labelNames: ['method', 'route', 'status_class'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  })
  const commitSeconds = new Histogram({
    name: 'onescreen_commit_duration_seconds',
    help: 'One group commit: its transaction until durable (synchronous=FULL).',
    labelNames: ['result'] as const,
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1],
    registers: [registry],
  })
  const groupSize = new Histogram({
    name: 'onescreen_commit_group_size',
    help: 'Requests sharing one group commit transaction.',
    buckets: [1, 2, 4, 8, 16, 32, 64, 128, 256],
    registers: [registry],
  })
  const escalations = new Counter({
    name: 'onescreen_escalations_total',
    help: 'Escalations committed (overdue incidents moved up a loop; tasks escalated), by what was escalated.',
    labelNames: ['kind'] as const,
    registers: [registry],
  })
  escalations.inc({ kind: 'incident' }, 0)
  escalations.inc({ kind: 'task' }, 0)

  const scraped = (name: string, help: string, read: (g: Gauge) => unknown, labelNames: string[] = []) =>
    new Gauge({ name, help, labelNames, registers: [registry], async collect() {
      await read(this)
    } })

  scraped('onescreen_changelog_head_seq', 'Highest committed change-log seq.', async g => g.set(await deps.store.head()))
  scraped('onescreen_incidents_overdue_open', 'Open incidents past their stage deadline, now.', async (g) => {
    const counts = await deps.store.countQueue({ reach: EVERYWHERE, personId: null, myPostId: null, now: deps.now().toISOString() })
    g.set(counts.overdue)
  })
  scraped('onescreen_sockets_connected', 'Connected sockets by caller kind (user, device, share) and roles.', (g) => {
    g.reset()
    const counts = new Map<string, { kind: string, role: string, n: number }>()
    for (const s of sockets()) {
      const p = s.data.principal
      const kind = p?.kind ?? 'unknown'
      // Several roles are one label value (sorted), so the series still sum to the number of sockets.
      const role = p ? [...p.roles].sort().join(',') : ''
      const key = `${kind}|${role}`
      const c = counts.get(key) ?? { kind, role, n: 0 }
      c.n++
      counts.set(key, c)
    }
    for (const c of counts.values()) g.set({ kind: c.kind, role: c.role }, c.n)
  }, ['kind', 'role'])

  let cap: CapPoll | null = null
  optional('onescreen_cap_feed_last_poll_timestamp_seconds', 'When the CAP feed was last polled (absent: no feed configured, or not polled yet).', () => cap && cap.at.getTime() / 1000)
  optional('onescreen_cap_feed_up', 'Whether the last CAP feed poll succeeded (1) or failed (0).', () => cap && (cap.ok ? 1 : 0))

  /**
   * A gauge with no sample while `read` answers null (prom-client's own Gauge always shows a 0): "not configured"
   * stays distinguishable from zero, and `absent()` alerts work.
   */
  function optional(name: string, help: string, read: GaugeRead): void {
    const metric = {
      name,
      help,
      type: 'gauge',
      aggregator: 'sum',
      async get() {
        const value = await read()
        return { name, help, type: 'gauge', aggregator: 'sum', values: value === null ? [] : [{ value, labels: {} }] }
      },
      reset() {},
    }
    registry.registerMetric(metric as unknown as Gauge)
  }

  deps.store.onGroup?.((g) => {
    commitSeconds.observe({ result: g.ok ? 'ok' : 'error' }, g.seconds)
    groupSize.observe(g.requests)
  })
  deps.store.onCommit((changes) => {
    for (const c of changes) {
      if (c.action === 'escalate')
        escalations.inc({ kind: c.kind })
    }
  })

  return {
    registry,
    /** One finished HTTP request; `route` is the route pattern (never the raw URL, which would explode the series). */
    request(method: string, route: string, status: number, seconds: number): void {
      http.observe({ method, route, status_class: `${Math.floor(status / 100)}xx` }, seconds)
    },
    /** The live sockets, read at each scrape. */
    watchSockets(list: () => Iterable<{ data: { principal?: Principal } }>): void {
      sockets = list
    },
    /** The CAP feed says how its poll went. */
    capPolled(ok: boolean, at: Date): void {
      cap = { ok, at }
    },
    /**
     * A gauge whose value another part reads at scrape time (null: no sample this time). Registering a name twice
     * replaces the reader, so a part wired late (e.g. webhooks) can take over its gauge.
     */
    registerGauge(name: string, help: string, read: GaugeRead): void {
      if (!reads.has(name))
        optional(name, help, () => reads.get(name)!())
      reads.set(name, read)
    },
    /** The exposition: the process's metrics, then this app's. */
    async text(): Promise<string> {
      return `${await processMetrics().metrics()}\n${await registry.metrics()}`
    },
  }
}

export type Metrics = ReturnType<typeof createMetrics>
