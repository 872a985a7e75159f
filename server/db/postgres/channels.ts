import type pg from 'pg'
import type { RobotKind } from '../../../shared/notify/robot-schema.ts'
import type { ChannelSend, ChannelStore, PushSubscriptionRow, RobotRow } from '../../notify/channel-store.ts'
import { withProblems } from '../errors.ts'
import { pgProblemOf } from './failure.ts'
import { one, rows, tx } from './pool.ts'

// What the push and robot channels keep, on PostgreSQL (server/notify/channel-store.ts is the SQLite side): the
// VAPID pair every node signs with, push subscriptions, robots, and one row per notice a channel sent. Several
// nodes share these tables, so the first VAPID pair and the claim of a send are decided by the database.

export const PG_CHANNEL_DDL = `
  CREATE TABLE push_vapid (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    public_key TEXT NOT NULL,
    private_key TEXT NOT NULL,
    created_at TEXT NOT NULL
  );
  CREATE TABLE push_subscriptions (
    endpoint TEXT PRIMARY KEY,
    person_id TEXT NOT NULL,
    p256dh TEXT NOT NULL,
    auth TEXT NOT NULL,
    device TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
  );
  CREATE INDEX push_subscriptions_person ON push_subscriptions (person_id, updated_at);
  CREATE TABLE notify_robots (
    id TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    name TEXT NOT NULL,
    url TEXT NOT NULL,
    secret TEXT,
    communities TEXT,
    enabled INTEGER NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
  );
  CREATE TABLE channel_sends (
    channel TEXT NOT NULL,
    delivery_id TEXT NOT NULL,
    person_id TEXT NOT NULL,
    state TEXT NOT NULL,
    detail TEXT,
    at TEXT NOT NULL,
    PRIMARY KEY (channel, delivery_id)
  );
  CREATE INDEX channel_sends_at ON channel_sends (at);
`

interface SubRecord { endpoint: string, person_id: string, p256dh: string, auth: string, device: string, created_at: string, updated_at: string }
interface RobotRecord { id: string, kind: RobotKind, name: string, url: string, secret: string | null, communities: string | null, enabled: number, created_at: string, updated_at: string }
interface SendRecord { channel: string, delivery_id: string, person_id: string, state: ChannelSend['state'], detail: string | null, at: string }
interface VapidRecord { public_key: string, private_key: string }

const subOf = (r: SubRecord): PushSubscriptionRow => ({ endpoint: r.endpoint, personId: r.person_id, p256dh: r.p256dh, auth: r.auth, device: r.device, createdAt: r.created_at, updatedAt: r.updated_at })
const robotOf = (r: RobotRecord): RobotRow => ({ id: r.id, kind: r.kind, name: r.name, url: r.url, secret: r.secret, communities: r.communities === null ? null : JSON.parse(r.communities) as string[], enabled: r.enabled === 1, createdAt: r.created_at, updatedAt: r.updated_at })
const sendOf = (r: SendRecord): ChannelSend => ({ channel: r.channel, deliveryId: r.delivery_id, personId: r.person_id, state: r.state, detail: r.detail, at: r.at })
const vapidOf = (r: VapidRecord) => ({ publicKey: r.public_key, privateKey: r.private_key })

export function createPgChannelStore(pool: pg.Pool): ChannelStore {
  return withProblems<ChannelStore>({
    async vapidKeys(candidate, at) {
      const stored = await one<VapidRecord>(pool, 'SELECT public_key, private_key FROM push_vapid WHERE id = 1')
      if (stored)
        return vapidOf(stored)
      const made = candidate()
      // Two nodes racing: the second INSERT waits on the first one's key, then does nothing; the SELECT after it
      // (a new snapshot) reads the pair that won, on both nodes.
      await pool.query('INSERT INTO push_vapid (id, public_key, private_key, created_at) VALUES (1, $1, $2, $3) ON CONFLICT (id) DO NOTHING', [made.publicKey, made.privateKey, at])
      return vapidOf((await one<VapidRecord>(pool, 'SELECT public_key, private_key FROM push_vapid WHERE id = 1'))!)
    },
    async subscriptions(personId) {
      return (await rows<SubRecord>(pool, 'SELECT * FROM push_subscriptions WHERE person_id = $1 ORDER BY updated_at DESC', [personId])).map(subOf)
    },
    async saveSubscription(s, keep) {
      await tx(pool, async (c) => {
        // One person's saves in turn (SQLite has one writer): two browsers subscribing at once on two nodes would
        // each trim without seeing the other's new row and leave more than `keep`.
        await c.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`push_subscriptions:${s.personId}`])
        await c.query(`INSERT INTO push_subscriptions (endpoint, person_id, p256dh, auth, device, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7)
          ON CONFLICT (endpoint) DO UPDATE SET person_id = excluded.person_id, p256dh = excluded.p256dh, auth = excluded.auth, device = excluded.device, updated_at = excluded.updated_at`, [s.endpoint, s.personId, s.p256dh, s.auth, s.device, s.createdAt, s.updatedAt])
        // A negative LIMIT keeps all in SQLite; LIMIT NULL does here.
        await c.query(`DELETE FROM push_subscriptions WHERE person_id = $1 AND endpoint NOT IN
          (SELECT endpoint FROM push_subscriptions WHERE person_id = $1 ORDER BY updated_at DESC LIMIT $2)`, [s.personId, keep < 0 ? null : keep])
      })
    },
    async deleteSubscription(endpoint, personId) {
      const r = personId === undefined
        ? await pool.query('DELETE FROM push_subscriptions WHERE endpoint = $1', [endpoint])
        : await pool.query('DELETE FROM push_subscriptions WHERE endpoint = $1 AND person_id = $2', [endpoint, personId])
      return r.rowCount === 1
    },
    async robots() {
      return (await rows<RobotRecord>(pool, 'SELECT * FROM notify_robots ORDER BY created_at, id')).map(robotOf)
    },
    async saveRobot(r) {
      await pool.query(`INSERT INTO notify_robots (id, kind, name, url, secret, communities, enabled, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
        ON CONFLICT (id) DO UPDATE SET kind = excluded.kind, name = excluded.name, url = excluded.url, secret = excluded.secret, communities = excluded.communities, enabled = excluded.enabled, updated_at = excluded.updated_at`, [r.id, r.kind, r.name, r.url, r.secret, r.communities === null ? null : JSON.stringify(r.communities), r.enabled ? 1 : 0, r.createdAt, r.updatedAt])
    },
    async deleteRobot(id) {
      return (await pool.query('DELETE FROM notify_robots WHERE id = $1', [id])).rowCount === 1
    },
    async claimSend(s) {
      // At most once across nodes: a second claim waits on the first one's row, then finds it `sending` and changes
      // nothing (count 0). Only a failed send may be claimed again, as in SQLite; DO UPDATE re-checks that condition
      // on the row as committed, so two retries of a failed send cannot both win.
      const r = await pool.query(`INSERT INTO channel_sends (channel, delivery_id, person_id, state, at) VALUES ($1, $2, $3, 'sending', $4)
        ON CONFLICT (channel, delivery_id) DO UPDATE SET state = 'sending', detail = NULL, at = excluded.at WHERE channel_sends.state = 'failed'`, [s.channel, s.deliveryId, s.personId, s.at])
      return r.rowCount === 1
    },
    async send(channel, deliveryId) {
      const r = await one<SendRecord>(pool, 'SELECT * FROM channel_sends WHERE channel = $1 AND delivery_id = $2', [channel, deliveryId])
      return r ? sendOf(r) : null
    },
    async markSend(channel, deliveryId, state, detail, at) {
      await pool.query('UPDATE channel_sends SET state = $1, detail = $2, at = $3 WHERE channel = $4 AND delivery_id = $5', [state, detail?.slice(0, 500) ?? null, at, channel, deliveryId])
    },
    async pruneSends(before) {
      return (await pool.query('DELETE FROM channel_sends WHERE at < $1', [before])).rowCount ?? 0
    },
  }, pgProblemOf)
}
