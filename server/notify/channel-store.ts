import type { Database as Db, Statement } from 'better-sqlite3'
import type { RobotKind } from '../../shared/notify/robot-schema.ts'

// What the push and robot channels keep (#17): the VAPID key pair every node signs with, each person's push
// subscriptions (one per browser), the messaging robots the admin configured, and one row per notice a channel
// sent, so a delivery is sent at most once (after a restart too) and a push receipt names the person it was for.

export const CHANNEL_MIGRATION = `
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
  ) WITHOUT ROWID;
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
  ) WITHOUT ROWID;
  CREATE TABLE channel_sends (
    channel TEXT NOT NULL,
    delivery_id TEXT NOT NULL,
    person_id TEXT NOT NULL,
    state TEXT NOT NULL,
    detail TEXT,
    at TEXT NOT NULL,
    PRIMARY KEY (channel, delivery_id)
  ) WITHOUT ROWID;
  CREATE INDEX channel_sends_at ON channel_sends (at);
`

export interface VapidKeys { publicKey: string, privateKey: string }

export interface PushSubscriptionRow {
  endpoint: string
  personId: string
  p256dh: string
  auth: string
  /** The credential (account or enrolled phone) that subscribed: where the console would say which device. */
  device: string
  createdAt: string
  updatedAt: string
}

export interface RobotRow {
  id: string
  kind: RobotKind
  name: string
  url: string
  secret: string | null
  /** The communities whose people it reaches; null = everyone. */
  communities: string[] | null
  enabled: boolean
  createdAt: string
  updatedAt: string
}

/** One notice on one channel: `sending` until the send is answered (a crash in between counts as sent). */
export interface ChannelSend { channel: string, deliveryId: string, personId: string, state: 'sending' | 'sent' | 'failed' | 'delivered', detail: string | null, at: string }

export interface ChannelStore {
  /** The stored pair, or `candidate` stored now when there is none: every node ends up with the first one written. */
  vapidKeys: (candidate: () => VapidKeys, at: string) => Promise<VapidKeys>
  subscriptions: (personId: string) => Promise<PushSubscriptionRow[]>
  /** Inserts or moves the endpoint to this person; keeps at most `keep` per person (the newest). */
  saveSubscription: (s: PushSubscriptionRow, keep: number) => Promise<void>
  /** Removes an endpoint (of this person only, when given). */
  deleteSubscription: (endpoint: string, personId?: string) => Promise<boolean>
  robots: () => Promise<RobotRow[]>
  saveRobot: (r: RobotRow) => Promise<void>
  deleteRobot: (id: string) => Promise<boolean>
  /** Claims a delivery for a channel; false when it was already claimed and not failed (never send it twice). */
  claimSend: (s: Omit<ChannelSend, 'state' | 'detail'>) => Promise<boolean>
  send: (channel: string, deliveryId: string) => Promise<ChannelSend | null>
  markSend: (channel: string, deliveryId: string, state: ChannelSend['state'], detail: string | null, at: string) => Promise<void>
  /** Forgets sends older than `before`. */
  pruneSends: (before: string) => Promise<number>
}

interface SubRecord { endpoint: string, person_id: string, p256dh: string, auth: string, device: string, created_at: string, updated_at: string }
interface RobotRecord { id: string, kind: RobotKind, name: string, url: string, secret: string | null, communities: string | null, enabled: number, created_at: string, updated_at: string }
interface SendRecord { channel: string, delivery_id: string, person_id: string, state: ChannelSend['state'], detail: string | null, at: string }

const subOf = (r: SubRecord): PushSubscriptionRow => ({ endpoint: r.endpoint, personId: r.person_id, p256dh: r.p256dh, auth: r.auth, device: r.device, createdAt: r.created_at, updatedAt: r.updated_at })
const robotOf = (r: RobotRecord): RobotRow => ({ id: r.id, kind: r.kind, name: r.name, url: r.url, secret: r.secret, communities: r.communities === null ? null : JSON.parse(r.communities) as string[], enabled: r.enabled === 1, createdAt: r.created_at, updatedAt: r.updated_at })
const sendOf = (r: SendRecord): ChannelSend => ({ channel: r.channel, deliveryId: r.delivery_id, personId: r.person_id, state: r.state, detail: r.detail, at: r.at })

/** The SQLite side; statements are prepared on first use (after the migrations ran). */
export function createSqliteChannelStore(db: Db): ChannelStore {
  let prepared: Record<string, Statement> | null = null
  const q = () => (prepared ??= {
    vapidPut: db.prepare('INSERT OR IGNORE INTO push_vapid (id, public_key, private_key, created_at) VALUES (1, ?, ?, ?)'),
    vapidGet: db.prepare('SELECT public_key, private_key FROM push_vapid WHERE id = 1'),
    subs: db.prepare('SELECT * FROM push_subscriptions WHERE person_id = ? ORDER BY updated_at DESC'),
    subPut: db.prepare(`INSERT INTO push_subscriptions (endpoint, person_id, p256dh, auth, device, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)
      ON CONFLICT (endpoint) DO UPDATE SET person_id = excluded.person_id, p256dh = excluded.p256dh, auth = excluded.auth, device = excluded.device, updated_at = excluded.updated_at`),
    subTrim: db.prepare(`DELETE FROM push_subscriptions WHERE person_id = ? AND endpoint NOT IN
      (SELECT endpoint FROM push_subscriptions WHERE person_id = ? ORDER BY updated_at DESC LIMIT ?)`),
    subDel: db.prepare('DELETE FROM push_subscriptions WHERE endpoint = ?'),
    subDelOwn: db.prepare('DELETE FROM push_subscriptions WHERE endpoint = ? AND person_id = ?'),
    robots: db.prepare('SELECT * FROM notify_robots ORDER BY created_at, id'),
    robotPut: db.prepare(`INSERT INTO notify_robots (id, kind, name, url, secret, communities, enabled, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
      ON CONFLICT (id) DO UPDATE SET kind = excluded.kind, name = excluded.name, url = excluded.url, secret = excluded.secret, communities = excluded.communities, enabled = excluded.enabled, updated_at = excluded.updated_at`),
    robotDel: db.prepare('DELETE FROM notify_robots WHERE id = ?'),
    claim: db.prepare(`INSERT INTO channel_sends (channel, delivery_id, person_id, state, at) VALUES (?, ?, ?, 'sending', ?)
      ON CONFLICT (channel, delivery_id) DO UPDATE SET state = 'sending', detail = NULL, at = excluded.at WHERE channel_sends.state = 'failed'`),
    send: db.prepare('SELECT * FROM channel_sends WHERE channel = ? AND delivery_id = ?'),
    mark: db.prepare('UPDATE channel_sends SET state = ?, detail = ?, at = ? WHERE channel = ? AND delivery_id = ?'),
    prune: db.prepare('DELETE FROM channel_sends WHERE at < ?'),
  })
  const saveSub = db.transaction((s: PushSubscriptionRow, keep: number) => {
    q().subPut!.run(s.endpoint, s.personId, s.p256dh, s.auth, s.device, s.createdAt, s.updatedAt)
    q().subTrim!.run(s.personId, s.personId, keep)
  })

  return {
    async vapidKeys(candidate, at) {
      const stored = q().vapidGet!.get() as { public_key: string, private_key: string } | undefined
      if (stored)
        return { publicKey: stored.public_key, privateKey: stored.private_key }
      const made = candidate()
      q().vapidPut!.run(made.publicKey, made.privateKey, at)
      const won = q().vapidGet!.get() as { public_key: string, private_key: string }
      return { publicKey: won.public_key, privateKey: won.private_key }
    },
    async subscriptions(personId) {
      return (q().subs!.all(personId) as SubRecord[]).map(subOf)
    },
    async saveSubscription(s, keep) {
      saveSub(s, keep)
    },
    async deleteSubscription(endpoint, personId) {
      return (personId === undefined ? q().subDel!.run(endpoint) : q().subDelOwn!.run(endpoint, personId)).changes === 1
    },
    async robots() {
      return (q().robots!.all() as RobotRecord[]).map(robotOf)
    },
    async saveRobot(r) {
      q().robotPut!.run(r.id, r.kind, r.name, r.url, r.secret, r.communities === null ? null : JSON.stringify(r.communities), r.enabled ? 1 : 0, r.createdAt, r.updatedAt)
    },
    async deleteRobot(id) {
      return q().robotDel!.run(id).changes === 1
    },
    async claimSend(s) {
      return q().claim!.run(s.channel, s.deliveryId, s.personId, s.at).changes === 1
    },
    async send(channel, deliveryId) {
      const r = q().send!.get(channel, deliveryId) as SendRecord | undefined
      return r ? sendOf(r) : null
    },
    async markSend(channel, deliveryId, state, detail, at) {
      q().mark!.run(state, detail?.slice(0, 500) ?? null, at, channel, deliveryId)
    },
    async pruneSends(before) {
      return q().prune!.run(before).changes
    },
  }
}
