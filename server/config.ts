import { join, resolve } from 'node:path'

export interface Config {
  port: number
  host: string
  dataDir: string
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
  /** Reports per minute per caller before 429. */
  reportsPerMinute: number
  /** Origins of an optional online tile source (Tianditu, OSM); empty = fully offline. */
  tileOrigins: string[]
  /** Optional CAP feed to poll (a CAP alert or an Atom/RSS feed of them); null = off. */
  capFeedUrl: string | null
  capFeedEveryMs: number
}

export function configFromEnv(env: NodeJS.ProcessEnv = process.env): Config {
  const dataDir = resolve(env.ONESCREEN_DATA_DIR ?? 'data')
  return {
    port: Number(env.PORT ?? 3000),
    host: env.HOST ?? '0.0.0.0',
    dataDir,
    demo: env.ONESCREEN_DEMO !== '0',
    simulate: env.ONESCREEN_SIMULATE !== '0',
    simSpeed: Number(env.ONESCREEN_SIM_SPEED ?? 1),
    escalateEveryMs: Number(env.ONESCREEN_ESCALATE_MS ?? 30_000),
    staticDir: env.ONESCREEN_STATIC_DIR === '' ? null : resolve(env.ONESCREEN_STATIC_DIR ?? 'dist'),
    allowedOrigins: (env.ONESCREEN_ORIGINS ?? 'http://localhost:5173').split(',').map(s => s.trim()).filter(Boolean),
    loginAttemptsPerMinute: Number(env.ONESCREEN_LOGIN_PER_MIN ?? 8),
    reportsPerMinute: Number(env.ONESCREEN_REPORTS_PER_MIN ?? 120),
    tileOrigins: (env.ONESCREEN_TILE_ORIGINS ?? '').split(',').map(s => s.trim()).filter(Boolean),
    capFeedUrl: env.ONESCREEN_CAP_FEED_URL || null,
    capFeedEveryMs: Number(env.ONESCREEN_CAP_FEED_MS ?? 60_000),
  }
}

export const dbFile = (cfg: Pick<Config, 'dataDir'>) => join(cfg.dataDir, 'onescreen.sqlite')
