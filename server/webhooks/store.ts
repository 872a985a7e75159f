import type { Database as Db, Statement } from 'better-sqlite3'
import type { HistoryEntry } from '../../shared/incident/schema.ts'

// The outbox of outcome webhooks (#16). A subscription's cursor is the last change-log seq it has scanned; the scan
// turns each step into outbox rows and moves the cursor in one transaction, so a step is queued exactly once and
// survives a restart. A row stays until delivered (at least once: marked only after the receiver's 2xx).

export const WEBHOOK_MIGRATION = `
  CREATE TABLE webhook_subscriptions (
    key_id TEXT PRIMARY KEY,
    url TEXT NOT NULL,
    secret TEXT NOT NULL,
    enabled INTEGER NOT NULL,
    paused INTEGER NOT NULL DEFAULT 0,
    cursor INTEGER NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
  ) WITHOUT ROWID;
  CREATE TABLE webhook_outbox (
    event_id TEXT PRIMARY KEY,
    key_id TEXT NOT NULL,
    seq INTEGER NOT NULL,
    incident_id TEXT NOT NULL,
    action TEXT NOT NULL,
    body TEXT NOT NULL,
    created_at TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    next_at TEXT NOT NULL,
    last_status INTEGER,
    last_error TEXT,
    last_attempt_at TEXT,
    delivered_at TEXT
  ) WITHOUT ROWID;
  CREATE INDEX webhook_outbox_pending ON webhook_outbox (key_id, seq, event_id) WHERE delivered_at IS NULL;
  CREATE INDEX webhook_outbox_recent ON webhook_outbox (key_id, seq);
  CREATE TABLE webhook_merges (
    master_id TEXT NOT NULL,
    incident_id TEXT NOT NULL,
    key_id TEXT NOT NULL,
    PRIMARY KEY (master_id, incident_id)
  ) WITHOUT ROWID;
  CREATE INDEX webhook_merges_incident ON webhook_merges (incident_id);
`

export interface SubscriptionRow {
  keyId: string
  url: string
  secret: string
  enabled: boolean
  paused: boolean
  cursor: number
  createdAt: string
  updatedAt: string
}

export interface SubscriptionStats { backlog: number, lastDeliveredAt: string | null, lastError: string | null }

export interface OutboxRow {
  eventId: string
  keyId: string
  seq: number
  incidentId: string
  action: string
  body: string
  createdAt: string
  attempts: number
  nextAt: string
  lastStatus: number | null
  lastError: string | null
  lastAttemptAt: string | null
  deliveredAt: string | null
}

/** An incident of a subscribed key merged into another: the master's steps go to the key too. */
export interface MergeLink { masterId: string, incidentId: string, keyId: string }

/** What one scan writes, atomically: the events, each subscription's new cursor, the merge links learnt. */
export interface ScanWrite {
  events: Pick<OutboxRow, 'eventId' | 'keyId' | 'seq' | 'incidentId' | 'action' | 'body' | 'createdAt'>[]
  cursor: number
  keyIds: string[]
  links: MergeLink[]
  unlinked: string[]
}

export interface WebhookStore {
  getSubscription: (keyId: string) => Promise<SubscriptionRow | null>
  /** Every subscription, without counting its outbox (what the worker reads each run). */
  subscriptions: () => Promise<SubscriptionRow[]>
  listSubscriptions: () => Promise<(SubscriptionRow & SubscriptionStats)[]>
  /** Inserts (the cursor given) or updates url, secret, enabled (the cursor kept). */
  saveSubscription: (s: Omit<SubscriptionRow, 'paused'>) => Promise<void>
  deleteSubscription: (keyId: string) => Promise<boolean>
  setPaused: (keyId: string, paused: boolean, at: string) => Promise<boolean>
  /** An incident's history up to a version, oldest first. */
  history: (incidentId: string, upTo: number) => Promise<HistoryEntry[]>
  /** The links of incidents merged into any of these masters. */
  mergedInto: (masterIds: string[]) => Promise<MergeLink[]>
  enqueue: (w: ScanWrite) => Promise<void>
  /** The subscription's oldest undelivered event. */
  nextPending: (keyId: string) => Promise<OutboxRow | null>
  markDelivered: (eventId: string, status: number, at: string) => Promise<void>
  markFailed: (eventId: string, f: { status: number | null, error: string, at: string, nextAt: string }) => Promise<void>
  /** Every waiting event of the subscription is due now. */
  retryNow: (keyId: string, at: string) => Promise<number>
  /** The newest events of a subscription, newest first. */
  recent: (keyId: string, limit: number) => Promise<OutboxRow[]>
  backlog: () => Promise<number>
  /** Forgets delivered events older than `before`. */
  prune: (before: string) => Promise<number>
}

interface SubRecord { key_id: string, url: string, secret: string, enabled: number, paused: number, cursor: number, created_at: string, updated_at: string }
interface OutboxRecord { event_id: string, key_id: string, seq: number, incident_id: string, action: string, body: string, created_at: string, attempts: number, next_at: string, last_status: number | null, last_error: string | null, last_attempt_at: string | null, delivered_at: string | null }

const sub = (r: SubRecord): SubscriptionRow => ({ keyId: r.key_id, url: r.url, secret: r.secret, enabled: r.enabled === 1, paused: r.paused === 1, cursor: r.cursor, createdAt: r.created_at, updatedAt: r.updated_at })
const outbox = (r: OutboxRecord): OutboxRow => ({ eventId: r.event_id, keyId: r.key_id, seq: r.seq, incidentId: r.incident_id, action: r.action, body: r.body, createdAt: r.created_at, attempts: r.attempts, nextAt: r.next_at, lastStatus: r.last_status, lastError: r.last_error, lastAttemptAt: r.last_attempt_at, deliveredAt: r.delivered_at })

/** The SQLite side; statements are prepared on first use (after the migrations ran). */
export function createSqliteWebhookStore(db: Db): WebhookStore {
  let prepared: Record<string, Statement> | null = null
  const q = () => (prepared ??= {
    get: db.prepare('SELECT * FROM webhook_subscriptions WHERE key_id = ?'),
    all: db.prepare('SELECT * FROM webhook_subscriptions ORDER BY created_at'),
    list: db.prepare(`SELECT s.*,
        (SELECT COUNT(*) FROM webhook_outbox o WHERE o.key_id = s.key_id AND o.delivered_at IS NULL) AS backlog,
        (SELECT MAX(delivered_at) FROM webhook_outbox o WHERE o.key_id = s.key_id) AS last_delivered_at,
        (SELECT last_error FROM webhook_outbox o WHERE o.key_id = s.key_id AND o.delivered_at IS NULL ORDER BY seq, event_id LIMIT 1) AS head_error
      FROM webhook_subscriptions s ORDER BY s.created_at`),
    insert: db.prepare(`INSERT INTO webhook_subscriptions (key_id, url, secret, enabled, paused, cursor, created_at, updated_at) VALUES (?, ?, ?, ?, 0, ?, ?, ?)
      ON CONFLICT (key_id) DO UPDATE SET url = excluded.url, secret = excluded.secret, enabled = excluded.enabled, updated_at = excluded.updated_at`),
    remove: db.prepare('DELETE FROM webhook_subscriptions WHERE key_id = ?'),
    removeOutbox: db.prepare('DELETE FROM webhook_outbox WHERE key_id = ?'),
    removeLinks: db.prepare('DELETE FROM webhook_merges WHERE key_id = ?'),
    pause: db.prepare('UPDATE webhook_subscriptions SET paused = ?, updated_at = ? WHERE key_id = ?'),
    history: db.prepare('SELECT data FROM incident_history WHERE incident_id = ? AND version <= ? ORDER BY version'),
    links: db.prepare('SELECT master_id, incident_id, key_id FROM webhook_merges WHERE master_id IN (SELECT value FROM json_each(?))'),
    event: db.prepare('INSERT OR IGNORE INTO webhook_outbox (event_id, key_id, seq, incident_id, action, body, created_at, next_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)'),
    cursor: db.prepare('UPDATE webhook_subscriptions SET cursor = MAX(cursor, ?) WHERE key_id = ?'),
    link: db.prepare('INSERT OR REPLACE INTO webhook_merges (master_id, incident_id, key_id) VALUES (?, ?, ?)'),
    unlink: db.prepare('DELETE FROM webhook_merges WHERE incident_id = ?'),
    next: db.prepare('SELECT * FROM webhook_outbox WHERE key_id = ? AND delivered_at IS NULL ORDER BY seq, event_id LIMIT 1'),
    delivered: db.prepare('UPDATE webhook_outbox SET attempts = attempts + 1, last_status = ?, last_error = NULL, last_attempt_at = ?, delivered_at = ? WHERE event_id = ?'),
    failed: db.prepare('UPDATE webhook_outbox SET attempts = attempts + 1, last_status = ?, last_error = ?, last_attempt_at = ?, next_at = ? WHERE event_id = ?'),
    retry: db.prepare('UPDATE webhook_outbox SET next_at = ? WHERE key_id = ? AND delivered_at IS NULL'),
    recent: db.prepare('SELECT * FROM webhook_outbox WHERE key_id = ? ORDER BY seq DESC, event_id DESC LIMIT ?'),
    backlog: db.prepare('SELECT COUNT(*) AS n FROM webhook_outbox WHERE delivered_at IS NULL'),
    prune: db.prepare('DELETE FROM webhook_outbox WHERE delivered_at IS NOT NULL AND delivered_at < ?'),
  })

  const enqueue = db.transaction((w: ScanWrite) => {
    for (const e of w.events)
      q().event!.run(e.eventId, e.keyId, e.seq, e.incidentId, e.action, e.body, e.createdAt, e.createdAt)
    for (const id of w.unlinked)
      q().unlink!.run(id)
    for (const l of w.links)
      q().link!.run(l.masterId, l.incidentId, l.keyId)
    for (const k of w.keyIds)
      q().cursor!.run(w.cursor, k)
  })
  const remove = db.transaction((keyId: string) => {
    q().removeOutbox!.run(keyId)
    q().removeLinks!.run(keyId)
    return q().remove!.run(keyId).changes === 1
  })

  return {
    async getSubscription(keyId) {
      const r = q().get!.get(keyId) as SubRecord | undefined
      return r ? sub(r) : null
    },
    async subscriptions() {
      return (q().all!.all() as SubRecord[]).map(sub)
    },
    async listSubscriptions() {
      return (q().list!.all() as (SubRecord & { backlog: number, last_delivered_at: string | null, head_error: string | null })[])
        .map(r => ({ ...sub(r), backlog: r.backlog, lastDeliveredAt: r.last_delivered_at, lastError: r.head_error }))
    },
    async saveSubscription(s) {
      q().insert!.run(s.keyId, s.url, s.secret, s.enabled ? 1 : 0, s.cursor, s.createdAt, s.updatedAt)
    },
    async deleteSubscription(keyId) {
      return remove(keyId)
    },
    async setPaused(keyId, paused, at) {
      return q().pause!.run(paused ? 1 : 0, at, keyId).changes === 1
    },
    async history(incidentId, upTo) {
      return (q().history!.all(incidentId, upTo) as { data: string }[]).map(r => JSON.parse(r.data) as HistoryEntry)
    },
    async mergedInto(masterIds) {
      if (!masterIds.length)
        return []
      return (q().links!.all(JSON.stringify(masterIds)) as { master_id: string, incident_id: string, key_id: string }[])
        .map(r => ({ masterId: r.master_id, incidentId: r.incident_id, keyId: r.key_id }))
    },
    async enqueue(w) {
      enqueue(w)
    },
    async nextPending(keyId) {
      const r = q().next!.get(keyId) as OutboxRecord | undefined
      return r ? outbox(r) : null
    },
    async markDelivered(eventId, status, at) {
      q().delivered!.run(status, at, at, eventId)
    },
    async markFailed(eventId, f) {
      q().failed!.run(f.status, f.error.slice(0, 500), f.at, f.nextAt, eventId)
    },
    async retryNow(keyId, at) {
      return q().retry!.run(at, keyId).changes
    },
    async recent(keyId, limit) {
      return (q().recent!.all(keyId, limit) as OutboxRecord[]).map(outbox)
    },
    async backlog() {
      return (q().backlog!.get() as { n: number }).n
    },
    async prune(before) {
      return q().prune!.run(before).changes
    },
  }
}
