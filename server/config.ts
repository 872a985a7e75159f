import { join, resolve } from 'node:path'

export interface Config {
  port: number
  host: string
  dataDir: string
  /** Seed the Cuntan demo and keep it alive with the simulator. */
  demo: boolean
  /** Simulated minutes per real minute. */
  simSpeed: number
  /** How often overdue incidents are escalated (ms). */
  escalateEveryMs: number
  /** Built client to serve at `/` (absent in API-only tests). */
  staticDir: string | null
}

export function configFromEnv(env: NodeJS.ProcessEnv = process.env): Config {
  const dataDir = resolve(env.ONESCREEN_DATA_DIR ?? 'data')
  return {
    port: Number(env.PORT ?? 3000),
    host: env.HOST ?? '0.0.0.0',
    dataDir,
    demo: env.ONESCREEN_DEMO !== '0',
    simSpeed: Number(env.ONESCREEN_SIM_SPEED ?? 1),
    escalateEveryMs: Number(env.ONESCREEN_ESCALATE_MS ?? 30_000),
    staticDir: env.ONESCREEN_STATIC_DIR === '' ? null : resolve(env.ONESCREEN_STATIC_DIR ?? 'dist'),
  }
}

export const dbFile = (cfg: Pick<Config, 'dataDir'>) => join(cfg.dataDir, 'onescreen.sqlite')
