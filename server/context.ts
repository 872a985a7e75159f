import type { Catalog } from '../shared/domain/catalog.ts'
import type { ReferenceData } from '../shared/domain/types.ts'
import type { AuthService } from './auth/service.ts'
import type { Config } from './config.ts'
import type { AuthStore } from './db/auth-store.ts'
import type { Store } from './db/store.ts'
import type { Audit } from './services/audit.ts'
import type { IncidentService } from './services/incidents.ts'
import type { MessageService } from './services/messages.ts'
import type { Presence } from './services/presence.ts'
import type { WarningService } from './services/warnings.ts'
import type { WartimeService } from './services/wartime.ts'
import { DEFAULT_CATALOG } from '../shared/domain/catalog.ts'
import { DEFAULT_PLANS } from '../shared/domain/default-plans.ts'
import { GridIndex } from '../shared/domain/geo.ts'
import { createAuthService } from './auth/service.ts'
import { dbFile } from './config.ts'
import { createSqliteStore } from './db/dialects/sqlite.ts'
import { buildCuntanReference } from './demo/reference.ts'
import { createAudit } from './services/audit.ts'
import { createIncidentService } from './services/incidents.ts'
import { createMessageService } from './services/messages.ts'
import { createPresence } from './services/presence.ts'
import { createWarningService } from './services/warnings.ts'
import { createWartimeService, entity } from './services/wartime.ts'

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
