import type { Catalog } from '../shared/organisation/catalog.ts'
import type { ReferenceData } from '../shared/territory/types.ts'
import type { Audit } from './audit/service.ts'
import type { AuthService } from './auth/service.ts'
import type { CapService } from './cap/service.ts'
import type { Config } from './config.ts'
import type { AuthStore } from './db/auth-store.ts'
import type { Store } from './db/store.ts'
import type { DeskService } from './desk/service.ts'
import type { IncidentService } from './incident/service.ts'
import type { Limits } from './kernel/rate-limit.ts'
import type { MessageService } from './messages/service.ts'
import type { PhotoStore } from './photos/service.ts'
import type { LedgerService } from './scoring/ledger.ts'
import type { PatrolService } from './scoring/patrols.ts'
import type { ScoringService } from './scoring/service.ts'
import type { StatsService } from './stats/service.ts'
import type { Presence } from './sync/presence.ts'
import type { WartimeService } from './wartime/service.ts'
import { join } from 'node:path'
import { DEFAULT_CATALOG } from '../shared/organisation/catalog.ts'
import { GridIndex } from '../shared/territory/geo.ts'
import { DEFAULT_PLANS } from '../shared/wartime/default-plans.ts'
import { createAudit } from './audit/service.ts'
import { createAuthService } from './auth/service.ts'
import { createCapService } from './cap/service.ts'
import { dbFile } from './config.ts'
import { createSqliteStore } from './db/sqlite/store.ts'
import { createDeskService } from './desk/service.ts'
import { createIncidentService } from './incident/service.ts'
import { createLimits } from './kernel/rate-limit.ts'
import { createMessageService } from './messages/service.ts'
import { createPhotoStore } from './photos/service.ts'
import { createLedgerService } from './scoring/ledger.ts'
import { createPatrolService } from './scoring/patrols.ts'
import { createScoringService } from './scoring/service.ts'
import { createStatsService } from './stats/service.ts'
import { createPresence } from './sync/presence.ts'
import { buildCuntanReference } from './territory/cuntan/reference.ts'
import { createWartimeService, entity } from './wartime/service.ts'

/** Everything the routes, socket handlers and the demo share. Built once per server, here and nowhere else. */
export interface AppContext {
  config: Config
  store: Store
  reference: ReferenceData
  catalog: Catalog
  grids: GridIndex
  incidents: IncidentService
  desk: DeskService
  presence: Presence
  auth: AuthService
  authStore: AuthStore
  wartime: WartimeService
  messages: MessageService
  warnings: CapService
  scoring: ScoringService
  ledger: LedgerService
  patrols: PatrolService
  stats: StatsService
  photos: PhotoStore
  /** Per-caller budgets for callers over HTTP and sockets. */
  limits: Limits
  audit: Audit
  now: () => Date
}

export async function createContext(config: Config, opts: { store?: Store, now?: () => Date } = {}): Promise<AppContext> {
  const store = opts.store ?? createSqliteStore({ file: dbFile(config) })
  await store.migrate()
  let reference = await store.getReference()
  if (!reference) {
    // TODO(#15): a non-demo install imports its own territory; until then every install starts from Cuntan's.
    reference = buildCuntanReference()
    await store.putReference(reference)
  }
  const now = opts.now ?? (() => new Date())
  const catalog = DEFAULT_CATALOG
  const grids = new GridIndex(reference.territory.grids)
  const audit = createAudit(store.auth, now)
  await seedPlans(store, now)
  const presence = createPresence()
  const limits = createLimits({ reports: config.reportsPerMinute, actions: config.actionsPerMinute, logReads: config.logReadsPerMinute, photos: config.photosPerMinute }, () => now().getTime())
  const wartime = createWartimeService({ store, audit, reference, now, limits, online: () => presence.online() })
  const base = { store, reference, catalog, now }
  return {
    config,
    ...base,
    grids,
    audit,
    presence,
    wartime,
    limits,
    incidents: createIncidentService({ ...base, audit, grids, limits, wartime: wartime.mode }),
    desk: createDeskService(base),
    messages: createMessageService({ store, audit, reference, now }),
    warnings: createCapService({ store, audit, reference, now }),
    auth: createAuthService({ store: store.auth, reference, now }),
    authStore: store.auth,
    scoring: createScoringService(base),
    ledger: createLedgerService({ ...base, audit }),
    patrols: createPatrolService({ store, grids, audit, now, limits }),
    stats: createStatsService(base),
    photos: createPhotoStore(join(config.dataDir, 'photos')),
  }
}

/** Every install starts with the default plan library (editable afterwards); seeded once. */
async function seedPlans(store: Store, now: () => Date): Promise<void> {
  if ((await store.listEntities('plan')).length > 0)
    return
  const at = now().toISOString()
  await store.commit({ mutations: DEFAULT_PLANS.map(p => entity('plan', p, 'create', at)) })
}
