import type pg from 'pg'
import type { HistoryEntry } from '../../../shared/incident/schema.ts'
import type { OutboxRow, SubscriptionRow, WebhookStore } from '../../webhooks/store.ts'
import { withProblems } from '../errors.ts'
import { pgProblemOf } from './failure.ts'
import { one, rows, tx } from './pool.ts'

// The outbox of outcome webhooks on PostgreSQL (server/webhooks/store.ts is the SQLite side). A subscription's
// cursor is the last change-log seq scanned; a scan's events, merge links and cursors are written in one
// transaction. Several nodes may scan at once: the subscriptions' rows are locked while a scan writes, and what
// another scan already wrote (its cursor moved past) is left alone.

export const PG_WEBHOOK_DDL = `
  CREATE TABLE webhook_subscriptions (
    key_id TEXT PRIMARY KEY,
    url TEXT NOT NULL,
    secret TEXT NOT NULL,
    enabled INTEGER NOT NULL,
    paused INTEGER NOT NULL DEFAULT 0,
    cursor BIGINT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
  );
  CREATE TABLE webhook_outbox (
    event_id TEXT PRIMARY KEY,
    key_id TEXT NOT NULL,
    seq BIGINT NOT NULL,
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
  );
  CREATE INDEX webhook_outbox_pending ON webhook_outbox (key_id, seq, event_id) WHERE delivered_at IS NULL;
  CREATE INDEX webhook_outbox_recent ON webhook_outbox (key_id, seq);
  CREATE TABLE webhook_merges (
    master_id TEXT NOT NULL,
    incident_id TEXT NOT NULL,
    key_id TEXT NOT NULL,
    PRIMARY KEY (master_id, incident_id)
  );
  CREATE INDEX webhook_merges_incident ON webhook_merges (incident_id);
`

interface SubRecord { key_id: string, url: string, secret: string, enabled: number, paused: number, cursor: number, created_at: string, updated_at: string }
interface OutboxRecord { event_id: string, key_id: string, seq: number, incident_id: string, action: string, body: string, created_at: string, attempts: number, next_at: string, last_status: number | null, last_error: string | null, last_attempt_at: string | null, delivered_at: string | null }

const sub = (r: SubRecord): SubscriptionRow => ({ keyId: r.key_id, url: r.url, secret: r.secret, enabled: r.enabled === 1, paused: r.paused === 1, cursor: r.cursor, createdAt: r.created_at, updatedAt: r.updated_at })
const outbox = (r: OutboxRecord): OutboxRow => ({ eventId: r.event_id, keyId: r.key_id, seq: r.seq, incidentId: r.incident_id, action: r.action, body: r.body, createdAt: r.created_at, attempts: r.attempts, nextAt: r.next_at, lastStatus: r.last_status, lastError: r.last_error, lastAttemptAt: r.last_attempt_at, deliveredAt: r.delivered_at })

export function createPgWebhookStore(pool: pg.Pool): WebhookStore {
  return withProblems<WebhookStore>({
    async getSubscription(keyId) {
      const r = await one<SubRecord>(pool, 'SELECT * FROM webhook_subscriptions WHERE key_id = $1', [keyId])
      return r ? sub(r) : null
    },
    async subscriptions() {
      return (await rows<SubRecord>(pool, 'SELECT * FROM webhook_subscriptions ORDER BY created_at, key_id')).map(sub)
    },
    async listSubscriptions() {
      const list = await rows<SubRecord & { backlog: number, last_delivered_at: string | null, head_error: string | null }>(pool, `SELECT s.*,
          (SELECT COUNT(*) FROM webhook_outbox o WHERE o.key_id = s.key_id AND o.delivered_at IS NULL) AS backlog,
          (SELECT MAX(delivered_at) FROM webhook_outbox o WHERE o.key_id = s.key_id) AS last_delivered_at,
          (SELECT last_error FROM webhook_outbox o WHERE o.key_id = s.key_id AND o.delivered_at IS NULL ORDER BY seq, event_id LIMIT 1) AS head_error
        FROM webhook_subscriptions s ORDER BY s.created_at, s.key_id`)
      return list.map(r => ({ ...sub(r), backlog: r.backlog, lastDeliveredAt: r.last_delivered_at, lastError: r.head_error }))
    },
    async saveSubscription(s) {
      await pool.query(`INSERT INTO webhook_subscriptions (key_id, url, secret, enabled, paused, cursor, created_at, updated_at) VALUES ($1, $2, $3, $4, 0, $5, $6, $7)
        ON CONFLICT (key_id) DO UPDATE SET url = excluded.url, secret = excluded.secret, enabled = excluded.enabled, updated_at = excluded.updated_at`, [s.keyId, s.url, s.secret, s.enabled ? 1 : 0, s.cursor, s.createdAt, s.updatedAt])
    },
    async deleteSubscription(keyId) {
      return tx(pool, async (c) => {
        // The subscription's row first: its lock waits for a scan writing for this key, so that scan's events are
        // committed (and deleted next) rather than left behind; a scan after this finds no row and writes nothing.
        const removed = (await c.query('DELETE FROM webhook_subscriptions WHERE key_id = $1', [keyId])).rowCount === 1
        await c.query('DELETE FROM webhook_outbox WHERE key_id = $1', [keyId])
        await c.query('DELETE FROM webhook_merges WHERE key_id = $1', [keyId])
        return removed
      })
    },
    async setPaused(keyId, paused, at) {
      return (await pool.query('UPDATE webhook_subscriptions SET paused = $1, updated_at = $2 WHERE key_id = $3', [paused ? 1 : 0, at, keyId])).rowCount === 1
    },
    async history(incidentId, upTo) {
      return (await rows<{ data: string }>(pool, 'SELECT data FROM incident_history WHERE incident_id = $1 AND version <= $2 ORDER BY version', [incidentId, upTo]))
        .map(r => JSON.parse(r.data) as HistoryEntry)
    },
    async mergedInto(masterIds) {
      if (!masterIds.length)
        return []
      return (await rows<{ master_id: string, incident_id: string, key_id: string }>(pool, 'SELECT master_id, incident_id, key_id FROM webhook_merges WHERE master_id = ANY($1::text[]) ORDER BY master_id, incident_id', [masterIds]))
        .map(r => ({ masterId: r.master_id, incidentId: r.incident_id, keyId: r.key_id }))
    },
    async enqueue(w) {
      await tx(pool, async (c) => {
        // SQLite has one writer; here two nodes may scan the same range. The keys' rows are locked (in key order:
        // no deadlock between two scans) and their cursors read again: a key whose cursor already reached this
        // write's end was written by another scan (or is gone), and its part of this write is stale. Writing it
        // again would re-add merge links a later step of that scan removed.
        const held = new Map((await c.query<{ key_id: string, cursor: number }>('SELECT key_id, cursor FROM webhook_subscriptions WHERE key_id = ANY($1::text[]) ORDER BY key_id FOR UPDATE', [w.keyIds])).rows.map(r => [r.key_id, r.cursor]))
        const done = w.keyIds.filter(k => (held.get(k) ?? Infinity) >= w.cursor)
        if (w.keyIds.length && done.length === w.keyIds.length)
          return
        const skip = new Set(done)
        // Of a key another scan took part of the way, only the events after its cursor are new.
        const events = w.events.filter(e => !skip.has(e.keyId) && e.seq > (held.get(e.keyId) ?? -Infinity))
        if (events.length) {
          // Of one event id given twice, the first stays (INSERT OR IGNORE row by row); a retried scan adds nothing.
          await c.query(`INSERT INTO webhook_outbox (event_id, key_id, seq, incident_id, action, body, created_at, next_at)
            SELECT e, k, s, inc, a, b, t, t FROM unnest($1::text[], $2::text[], $3::bigint[], $4::text[], $5::text[], $6::text[], $7::text[]) WITH ORDINALITY AS x (e, k, s, inc, a, b, t, i) ORDER BY i
            ON CONFLICT (event_id) DO NOTHING`, [events.map(e => e.eventId), events.map(e => e.keyId), events.map(e => e.seq), events.map(e => e.incidentId), events.map(e => e.action), events.map(e => e.body), events.map(e => e.createdAt)])
        }
        if (w.unlinked.length)
          await c.query('DELETE FROM webhook_merges WHERE incident_id = ANY($1::text[]) AND key_id <> ALL($2::text[])', [w.unlinked, done])
        const links = w.links.filter(l => !skip.has(l.keyId))
        if (links.length) {
          // INSERT OR REPLACE row by row: the last link of a pair wins; an upsert may not touch a row twice.
          await c.query(`INSERT INTO webhook_merges (master_id, incident_id, key_id)
            SELECT DISTINCT ON (m, inc) m, inc, k FROM unnest($1::text[], $2::text[], $3::text[]) WITH ORDINALITY AS x (m, inc, k, i) ORDER BY m, inc, i DESC
            ON CONFLICT (master_id, incident_id) DO UPDATE SET key_id = excluded.key_id`, [links.map(l => l.masterId), links.map(l => l.incidentId), links.map(l => l.keyId)])
        }
        if (w.keyIds.length)
          await c.query('UPDATE webhook_subscriptions SET cursor = GREATEST(cursor, $1) WHERE key_id = ANY($2::text[])', [w.cursor, w.keyIds])
      })
    },
    async nextPending(keyId) {
      const r = await one<OutboxRecord>(pool, 'SELECT * FROM webhook_outbox WHERE key_id = $1 AND delivered_at IS NULL ORDER BY seq, event_id LIMIT 1', [keyId])
      return r ? outbox(r) : null
    },
    async markDelivered(eventId, status, at) {
      await pool.query('UPDATE webhook_outbox SET attempts = attempts + 1, last_status = $1, last_error = NULL, last_attempt_at = $2, delivered_at = $2 WHERE event_id = $3', [status, at, eventId])
    },
    async markFailed(eventId, f) {
      await pool.query('UPDATE webhook_outbox SET attempts = attempts + 1, last_status = $1, last_error = $2, last_attempt_at = $3, next_at = $4 WHERE event_id = $5', [f.status, f.error.slice(0, 500), f.at, f.nextAt, eventId])
    },
    async retryNow(keyId, at) {
      return (await pool.query('UPDATE webhook_outbox SET next_at = $1 WHERE key_id = $2 AND delivered_at IS NULL', [at, keyId])).rowCount ?? 0
    },
    async recent(keyId, limit) {
      // A negative LIMIT is "no limit" in SQLite and an error in PostgreSQL, where LIMIT NULL is none.
      return (await rows<OutboxRecord>(pool, 'SELECT * FROM webhook_outbox WHERE key_id = $1 ORDER BY seq DESC, event_id DESC LIMIT $2', [keyId, limit < 0 ? null : limit])).map(outbox)
    },
    async backlog() {
      return (await one<{ n: number }>(pool, 'SELECT COUNT(*) AS n FROM webhook_outbox WHERE delivered_at IS NULL'))!.n
    },
    async prune(before) {
      return (await pool.query('DELETE FROM webhook_outbox WHERE delivered_at IS NOT NULL AND delivered_at < $1', [before])).rowCount ?? 0
    },
  }, pgProblemOf)
}
