import type { S3Options } from './photos/s3.ts'
import { join, resolve } from 'node:path'

/** A setting the operator must fix: the server says which and stops, without a stack trace. */
export class ConfigError extends Error {}

export interface Config {
  port: number
  host: string
  dataDir: string
  /**
   * Where the data lives: null = the embedded SQLite file in `dataDir` (the default), or a PostgreSQL URL
   * (ONESCREEN_DATABASE_URL, postgres://user:password@host:port/database; docs/postgres.md) with the tenant's schema
   * (ONESCREEN_TENANT: the subdistrict's own tables and change log in that database; default `main`).
   */
  database: { url: string | null, tenant: string }
  /**
   * The subdistricts (tenants) this install oversees as a district (ONESCREEN_DISTRICT: `tenant[=url]`, comma-
   * separated; the url is that subdistrict's own wall): /district shows them on one screen. PostgreSQL only.
   */
  district: { tenant: string, url: string | null }[]
  /** The Cuntan demo: demo accounts (one per role), the wall signs itself in. */
  demo: boolean
  /** In demo mode: back-fill 13 months of history and keep the simulator running. */
  simulate: boolean
  /** Simulated minutes per real minute. */
  simSpeed: number
  /** How often overdue incidents are escalated (ms). */
  escalateEveryMs: number
  /** Built client to serve at `/` (absent in API-only tests). */
  staticDir: string | null
  /** Browser origins besides the server's own that may call mutations (e.g. the Vite dev server). */
  allowedOrigins: string[]
  /** Sign-in attempts per minute per address and username before 429. */
  loginAttemptsPerMinute: number
  /** Reports per minute per caller before 429 (HTTP and socket share it; a replay of a stored request is free). */
  reportsPerMinute: number
  /** Incident actions, task reports and patrol check-ins per minute per caller before 429. */
  actionsPerMinute: number
  /** Change-log pages (GET /api/changes, changes:fetch) per minute per caller before 429. */
  logReadsPerMinute: number
  /** Photo uploads per minute per caller before 429. */
  photosPerMinute: number
  /**
   * Photos in an S3-compatible bucket (ONESCREEN_PHOTOS_S3_URL = endpoint and bucket, path-style; _KEY, _SECRET,
   * _REGION), keyed under the tenant; null = the default: the node's disk (SQLite) or the tenant's database.
   */
  photosS3: S3Options | null
  /** Origins of an optional online tile source (Tianditu, OSM); empty = fully offline. */
  tileOrigins: string[]
  /** Optional CAP feed to poll (a CAP alert or an Atom/RSS feed of them); null = off. */
  capFeedUrl: string | null
  capFeedEveryMs: number
  /** Log level of the structured (JSON) log: fatal, error, warn, info, debug (debug logs every request). */
  logLevel: string
  /**
   * Which proxies to trust for X-Forwarded-For/-Proto (Fastify's trustProxy): false (default, direct), true (every
   * hop), or a comma-separated list of addresses/CIDRs. Set it behind a TLS-terminating proxy so session cookies
   * are Secure and addresses in the audit trail and rate limits are the clients', not the proxy's.
   */
  trustProxy: boolean | string
  /**
   * Who may read GET /metrics (Prometheus): 'off' (it answers 404), 'key' (default: an API key with the
   * metrics:read scope as a bearer token) or 'open' (no key). `metricsAllow` narrows either to these
   * addresses/CIDRs (ONESCREEN_METRICS_ALLOW, comma-separated; empty = any address).
   */
  metrics: MetricsAccess
  metricsAllow: string[]
  /** Open311 GET requests without an API key (docs/open311.md); off: governance data is not public by default. */
  open311PublicReads: boolean
  /** Outcome webhooks (#16): the outbox worker's pace, retries and what receivers it may call (docs/webhooks.md). */
  webhooks: WebhookConfig
  /** The district's system that takes information reports (docs/inforeport.md): a signed POST; null URL = export only. */
  inforeport: { url: string | null, secret: string | null }
  /** Sensor feeds (#17): how long readings are kept, and an optional URL to poll for them (docs/sensors.md). */
  sensors: SensorConfig
  /** Web Push, the notification ladder's second rung (#17; docs/push-and-robots.md). */
  push: PushConfig
  /** The notification ladder (#17): SMS gateway, daily cap, links, message delays (docs/notify.md). */
  notify: NotifyConfig
}

export interface SensorConfig {
  retentionDays: number
  /** A URL answering JSON readings (`[{ stationId, at, value }]` or `{ readings: [...] }`); null = no poller. */
  pollUrl: string | null
  pollEveryMs: number
}

export interface PushConfig {
  /**
   * The VAPID key pair (ONESCREEN_VAPID_PUBLIC_KEY / ONESCREEN_VAPID_PRIVATE_KEY, base64url as web-push prints them);
   * both or neither. Neither: a pair is generated once and kept in the store, the same for every node and restart.
   */
  vapidPublicKey: string | null
  vapidPrivateKey: string | null
  /** Who the push services may contact about this sender (ONESCREEN_VAPID_SUBJECT): a mailto: or https: URL. */
  vapidSubject: string
  /** How long a push service keeps an undelivered notice (s). */
  ttlSeconds: number
  /** A push service that has not answered within this is a failed send. */
  timeoutMs: number
  /** Tests only (ONESCREEN_PUSH_ALLOW_HTTP=1): http push endpoints on loopback (a test push service). */
  allowHttp: boolean
}

export interface NotifyConfig {
  /** ONESCREEN_SMS: `smpp://system_id:password@host:port[?from=106…]` or an `https://` gateway; null = no SMS. */
  sms: string | null
  /** ONESCREEN_SMS_KEY: the HMAC key of the HTTP gateway (requests out, callbacks in). */
  smsKey: string | null
  /** ONESCREEN_SMS_SIGN: the carrier signature (签名) in 【】 before each text. */
  smsSign: string
  /** ONESCREEN_SMS_CAP: SMS per person per Asia/Shanghai day. */
  smsCap: number
  /** ONESCREEN_PUBLIC_URL: where the SMS links point; default the server's own address. */
  publicUrl: string | null
  /** ONESCREEN_LINK_HOURS: how long an SMS link acknowledges. */
  linkHours: number
  /** ONESCREEN_MESSAGE_PUSH_S / ONESCREEN_MESSAGE_SMS_MIN: a message not received → push; not read → SMS. */
  messagePushAfterMs: number
  messageSmsAfterMs: number
  /** ONESCREEN_NOTIFY_MS: how often the ladder looks for due rungs. */
  everyMs: number
}

export interface WebhookConfig {
  /** How often the worker looks for due retries (it also runs right after each commit). */
  everyMs: number
  /** An attempt with no answer within this is a failure. */
  timeoutMs: number
  /** The first retry's delay; doubled each failure up to `retryMaxMs`. */
  retryBaseMs: number
  retryMaxMs: number
  /** Whether callbacks may be on loopback or private addresses (an intranet's 12345 system is); on in the demo. */
  allowPrivate: boolean
  /** Delivered events are kept this many days for the console's log. */
  keepDays: number
}

export type MetricsAccess = 'off' | 'key' | 'open'

export function configFromEnv(env: NodeJS.ProcessEnv = process.env): Config {
  const dataDir = resolve(env.ONESCREEN_DATA_DIR ?? 'data')
  return {
    port: Number(env.PORT ?? 3000),
    host: env.HOST ?? '0.0.0.0',
    dataDir,
    database: { url: env.ONESCREEN_DATABASE_URL || null, tenant: env.ONESCREEN_TENANT || 'main' },
    district: (env.ONESCREEN_DISTRICT ?? '').split(',').map(s => s.trim()).filter(Boolean).map((entry) => {
      const [tenant, ...url] = entry.split('=')
      return { tenant: tenant!.trim(), url: url.length ? url.join('=').trim() : null }
    }),
    demo: env.ONESCREEN_DEMO !== '0',
    simulate: env.ONESCREEN_SIMULATE !== '0',
    simSpeed: Number(env.ONESCREEN_SIM_SPEED ?? 1),
    escalateEveryMs: Number(env.ONESCREEN_ESCALATE_MS ?? 30_000),
    staticDir: env.ONESCREEN_STATIC_DIR === '' ? null : resolve(env.ONESCREEN_STATIC_DIR ?? 'dist'),
    // Other browser origins that may call mutations: none unless named (`npm run dev` names the Vite dev server).
    allowedOrigins: (env.ONESCREEN_ORIGINS ?? '').split(',').map(s => s.trim()).filter(Boolean),
    loginAttemptsPerMinute: Number(env.ONESCREEN_LOGIN_PER_MIN ?? 8),
    reportsPerMinute: Number(env.ONESCREEN_REPORTS_PER_MIN ?? 120),
    actionsPerMinute: Number(env.ONESCREEN_ACTIONS_PER_MIN ?? 600),
    logReadsPerMinute: Number(env.ONESCREEN_LOG_READS_PER_MIN ?? 120),
    photosPerMinute: Number(env.ONESCREEN_PHOTOS_PER_MIN ?? 120),
    photosS3: photosS3Of(env),
    tileOrigins: (env.ONESCREEN_TILE_ORIGINS ?? '').split(',').map(s => s.trim()).filter(Boolean),
    capFeedUrl: env.ONESCREEN_CAP_FEED_URL || null,
    capFeedEveryMs: Number(env.ONESCREEN_CAP_FEED_MS ?? 60_000),
    logLevel: env.ONESCREEN_LOG_LEVEL ?? (env.ONESCREEN_LOG === '1' ? 'debug' : 'info'),
    trustProxy: trustProxyOf(env.ONESCREEN_TRUST_PROXY),
    metrics: metricsAccessOf(env.ONESCREEN_METRICS),
    metricsAllow: (env.ONESCREEN_METRICS_ALLOW ?? '').split(',').map(s => s.trim()).filter(Boolean),
    open311PublicReads: env.ONESCREEN_OPEN311_PUBLIC_READS === '1',
    webhooks: {
      everyMs: Number(env.ONESCREEN_WEBHOOK_EVERY_MS ?? 1000),
      timeoutMs: Number(env.ONESCREEN_WEBHOOK_TIMEOUT_MS ?? 10_000),
      retryBaseMs: Number(env.ONESCREEN_WEBHOOK_RETRY_MS ?? 5000),
      retryMaxMs: Number(env.ONESCREEN_WEBHOOK_RETRY_MAX_MS ?? 15 * 60_000),
      allowPrivate: env.ONESCREEN_WEBHOOK_ALLOW_PRIVATE === undefined ? env.ONESCREEN_DEMO !== '0' : env.ONESCREEN_WEBHOOK_ALLOW_PRIVATE === '1',
      keepDays: Number(env.ONESCREEN_WEBHOOK_KEEP_DAYS ?? 7),
    },
    inforeport: { url: env.ONESCREEN_INFOREPORT_URL || null, secret: env.ONESCREEN_INFOREPORT_SECRET || null },
    sensors: {
      retentionDays: Number(env.ONESCREEN_SENSOR_KEEP_DAYS ?? 30),
      pollUrl: env.ONESCREEN_SENSOR_POLL_URL || null,
      pollEveryMs: Number(env.ONESCREEN_SENSOR_POLL_MS ?? 60_000),
    },
    notify: {
      sms: env.ONESCREEN_SMS || null,
      smsKey: env.ONESCREEN_SMS_KEY || null,
      smsSign: env.ONESCREEN_SMS_SIGN ?? '一屏统揽',
      smsCap: Number(env.ONESCREEN_SMS_CAP ?? 20),
      publicUrl: env.ONESCREEN_PUBLIC_URL || null,
      linkHours: Number(env.ONESCREEN_LINK_HOURS ?? 24),
      messagePushAfterMs: Number(env.ONESCREEN_MESSAGE_PUSH_S ?? 60) * 1000,
      messageSmsAfterMs: Number(env.ONESCREEN_MESSAGE_SMS_MIN ?? 10) * 60_000,
      everyMs: Number(env.ONESCREEN_NOTIFY_MS ?? 2000),
    },
    push: pushConfigOf(env),
  }
}

function pushConfigOf(env: NodeJS.ProcessEnv): PushConfig {
  const vapidPublicKey = env.ONESCREEN_VAPID_PUBLIC_KEY || null
  const vapidPrivateKey = env.ONESCREEN_VAPID_PRIVATE_KEY || null
  if ((vapidPublicKey === null) !== (vapidPrivateKey === null))
    throw new ConfigError('set both ONESCREEN_VAPID_PUBLIC_KEY and ONESCREEN_VAPID_PRIVATE_KEY, or neither (a pair is then generated and stored)')
  return {
    vapidPublicKey,
    vapidPrivateKey,
    vapidSubject: env.ONESCREEN_VAPID_SUBJECT || 'mailto:onescreen@example.org',
    ttlSeconds: Number(env.ONESCREEN_PUSH_TTL_S ?? 3600),
    timeoutMs: Number(env.ONESCREEN_PUSH_TIMEOUT_MS ?? 10_000),
    allowHttp: env.ONESCREEN_PUSH_ALLOW_HTTP === '1',
  }
}

function photosS3Of(env: NodeJS.ProcessEnv): S3Options | null {
  const url = env.ONESCREEN_PHOTOS_S3_URL || null
  if (!url)
    return null
  const accessKeyId = env.ONESCREEN_PHOTOS_S3_KEY || ''
  const secretAccessKey = env.ONESCREEN_PHOTOS_S3_SECRET || ''
  if (!accessKeyId || !secretAccessKey)
    throw new ConfigError('ONESCREEN_PHOTOS_S3_URL is set: set ONESCREEN_PHOTOS_S3_KEY and ONESCREEN_PHOTOS_S3_SECRET too (the bucket\'s access key), or unset the URL to keep photos in the default store')
  if (!/^https?:\/\/[^/]+\/[^/]+/.test(url) || !URL.canParse(url))
    throw new ConfigError(`ONESCREEN_PHOTOS_S3_URL must be the endpoint and the bucket, path-style, e.g. http://minio:9000/onescreen-photos (not ${url})`)
  // One bucket may hold several subdistricts: each keeps its photos under its tenant's name.
  return { url, accessKeyId, secretAccessKey, region: env.ONESCREEN_PHOTOS_S3_REGION || 'us-east-1', prefix: env.ONESCREEN_TENANT || 'main' }
}

export const dbFile = (cfg: Pick<Config, 'dataDir'>) => join(cfg.dataDir, 'onescreen.sqlite')

function trustProxyOf(v: string | undefined): boolean | string {
  if (!v || v === 'false')
    return false
  return v === 'true' ? true : v
}

function metricsAccessOf(v: string | undefined): MetricsAccess {
  if (v === undefined || v === '')
    return 'key'
  if (v === 'off' || v === 'key' || v === 'open')
    return v
  throw new ConfigError(`ONESCREEN_METRICS must be off, key or open, not ${v}`)
}
