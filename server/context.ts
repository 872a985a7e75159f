import type { Catalog } from '../shared/organisation/catalog.ts'
import type { ReferenceData } from '../shared/territory/types.ts'
import type { Audit } from './audit/service.ts'
import type { AuthService } from './auth/service.ts'
import type { WarningService } from './cap/service.ts'
import type { Config } from './config.ts'
import type { AuthStore } from './db/auth-store.ts'
import type { Store } from './db/store.ts'
import type { IncidentService } from './incident/service.ts'
import type { MessageService } from './messages/service.ts'
import type { Presence } from './sync/presence.ts'
import type { WartimeService } from './wartime/service.ts'
import { DEFAULT_CATALOG } from '../shared/organisation/catalog.ts'
import { GridIndex } from '../shared/territory/geo.ts'
import { DEFAULT_PLANS } from '../shared/wartime/default-plans.ts'
import { createAudit } from './audit/service.ts'
import { createAuthService } from './auth/service.ts'
import { createWarningService } from './cap/service.ts'
import { dbFile } from './config.ts'
import { createSqliteStore } from './db/sqlite/store.ts'
import { createIncidentService } from './incident/service.ts'
import { createMessageService } from './messages/service.ts'
import { createPresence } from './sync/presence.ts'
import { buildCuntanReference } from './territory/cuntan/reference.ts'
import { createWartimeService, entity } from './wartime/service.ts'

/** Everything the routes, socket handlers and the demo share. Built once per server. */
export interface AppContext {
  config: Config
  store: Store
  reference: ReferenceData
  catalog: Catalog
  grids: GridIndex
  incidents: IncidentService
  presence: Presence
  auth: AuthService
  authStore: AuthStore
  wartime: WartimeService
  messages: MessageService
  warnings: WarningService
  audit: Audit
  now: () => Date
}

export async function createContext(config: Config, opts: { store?: Store, now?: () => Date } = {}): Promise<AppContext> {
  const store = opts.store ?? createSqliteStore({ file: dbFile(config) })
  await store.migrate()
  let reference = await store.getReference()
  if (!reference) {
    // TODO(#3): a non-demo install imports its own territory; until then every install starts from Cuntan's.
    reference = buildCuntanReference()
    await store.putReference(reference)
  }
  const now = opts.now ?? (() => new Date())
  const catalog = DEFAULT_CATALOG
  const grids = new GridIndex(reference.territory.grids)
  const audit = createAudit(store.auth, now)
  await seedPlans(store, now)
  const wartime = createWartimeService({ store, audit, reference, now })
  const messages = createMessageService({ store, audit, reference, now })
  const warnings = createWarningService({ store, audit, reference, now })
  const incidents = createIncidentService({ store, audit, catalog, reference, grids, now, wartime: wartime.mode })
  const auth = createAuthService({ store: store.auth, reference, now })
  return { config, store, reference, catalog, grids, incidents, presence: createPresence(), auth, authStore: store.auth, audit, wartime, messages, warnings, now }
}

/** Every install starts with the default plan library (editable afterwards); seeded once. */
async function seedPlans(store: Store, now: () => Date): Promise<void> {
  if ((await store.listEntities('plan')).length > 0)
    return
  const at = now().toISOString()
  await store.commit({ mutations: DEFAULT_PLANS.map(p => entity('plan', p, 'create', at)) })
}
