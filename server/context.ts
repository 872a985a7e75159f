import type { Catalog } from '../shared/organisation/catalog.ts'
import type { GridIndex } from '../shared/territory/geo.ts'
import type { ReferenceData } from '../shared/territory/types.ts'
import type { Operation } from '../shared/wartime/schema.ts'
import type { Audit } from './audit/service.ts'
import type { AuthService } from './auth/service.ts'
import type { SignInThrottle } from './auth/throttle.ts'
import type { CapService } from './cap/service.ts'
import type { CaseService } from './cases/service.ts'
import type { Config } from './config.ts'
import type { AuthStore } from './db/auth-store.ts'
import type { Store } from './db/store.ts'
import type { DeskService } from './desk/service.ts'
import type { DistrictService } from './district/service.ts'
import type { DutyService } from './duty/service.ts'
import type { HotlineService } from './hotline/service.ts'
import type { DuplicateIndex } from './incident/duplicates.ts'
import type { IncidentService } from './incident/service.ts'
import type { InfoReportService } from './inforeport/service.ts'
import type { Limits } from './kernel/rate-limit.ts'
import type { MessageService } from './messages/service.ts'
import type { PushService } from './notify/push.ts'
import type { RobotService } from './notify/robot.ts'
import type { NotifyService } from './notify/service.ts'
import type { Metrics } from './ops/metrics.ts'
import type { PhotoStore } from './photos/service.ts'
import type { RegisterService } from './resources/register.ts'
import type { ResourceService } from './resources/service.ts'
import type { LedgerService } from './scoring/ledger.ts'
import type { PatrolService } from './scoring/patrols.ts'
import type { ScoringService } from './scoring/service.ts'
import type { SensorService } from './sensors/service.ts'
import type { LiveReference } from './setup/live.ts'
import type { SetupService } from './setup/service.ts'
import type { StatsService } from './stats/service.ts'
import type { Presence } from './sync/presence.ts'
import type { AfterActionService } from './wartime/after-action/service.ts'
import type { WartimeService } from './wartime/service.ts'
import type { WebhookService } from './webhooks/service.ts'
import { join } from 'node:path'
import { createAudit } from './audit/service.ts'
import { logRevocations } from './auth/revocations.ts'
import { createAuthService } from './auth/service.ts'
import { createSignInThrottle, DEFAULT_THROTTLE } from './auth/throttle.ts'
import { createCapService } from './cap/service.ts'
import { createCaseService } from './cases/service.ts'
import { openStore } from './db/open.ts'
import { createPgPhotoStore } from './db/postgres/photos.ts'
import { createPgPresenceStore } from './db/postgres/presence.ts'
import { poolOf } from './db/postgres/store.ts'
import { createPgThrottleCounters } from './db/postgres/throttle.ts'
import { createDeskService } from './desk/service.ts'
import { createDistrictService } from './district/service.ts'
import { createDutyService } from './duty/service.ts'
import { createHotlineService } from './hotline/service.ts'
import { createDuplicateIndex } from './incident/duplicates.ts'
import { createIncidentService } from './incident/service.ts'
import { createInfoReportService } from './inforeport/service.ts'
import { createLimits } from './kernel/rate-limit.ts'
import { createMessageService } from './messages/service.ts'
import { createPushChannel } from './notify/push.ts'
import { createRobotChannel } from './notify/robot.ts'
import { createNotifyService } from './notify/service.ts'
import { createMetrics } from './ops/metrics.ts'
import { createS3PhotoStore } from './photos/s3.ts'
import { createPhotoStore } from './photos/service.ts'
import { createRegisterService } from './resources/register.ts'
import { createResourceService } from './resources/service.ts'
import { createLedgerService } from './scoring/ledger.ts'
import { createPatrolService } from './scoring/patrols.ts'
import { createScoringService } from './scoring/service.ts'
import { createSensorService } from './sensors/service.ts'
import { createLiveReference } from './setup/live.ts'
import { loadCuntanPackage } from './setup/packages.ts'
import { createSetupService } from './setup/service.ts'
import { createStatsService } from './stats/service.ts'
import { createPresence } from './sync/presence.ts'
import { createSharedPresence } from './sync/shared-presence.ts'
import { createAfterActionService } from './wartime/after-action/service.ts'
import { createWartimeService } from './wartime/service.ts'
import { createWebhookService } from './webhooks/service.ts'

/** Everything the routes, socket handlers and the demo share. Built once per server, here and nowhere else. */
export interface AppContext {
  config: Config
  store: Store
  /** The subdistrict package in force (#15); `reference`, `catalog` and `grids` read through it. */
  live: LiveReference
  setup: SetupService
  readonly reference: ReferenceData
  readonly catalog: Catalog
  readonly grids: GridIndex
  incidents: IncidentService
  desk: DeskService
  /** Possible duplicates: the spatial index over open and lately finished incidents (docs/duplicates.md). */
  duplicates: DuplicateIndex
  presence: Presence
  auth: AuthService
  authStore: AuthStore
  wartime: WartimeService
  /** Every ended operation's after-action report (#17). */
  afterAction: AfterActionService
  /** The district's overview of the subdistricts it oversees (#19). */
  district: DistrictService
  messages: MessageService
  /** The notification ladder (#17): push, SMS, robot, supervisors after the app; `tick()` climbs it (notify/clock.ts). */
  notify: NotifyService
  warnings: CapService
  scoring: ScoringService
  ledger: LedgerService
  patrols: PatrolService
  stats: StatsService
  photos: PhotoStore
  /** Sign-in attempts, counted where every node sees them. */
  signInThrottle: SignInThrottle
  /** Outcome webhooks to the systems that reported (#16); `start()` runs the outbox worker. */
  webhooks: WebhookService
  /** The 12345 hotline's key on its own orders (#16). */
  hotline: HotlineService
  /** Cases out (the desk's export) and historical cases in (#16). */
  cases: CaseService
  /** Depots' stock and shelters' occupancy through recorded moves (#17). */
  resources: ResourceService
  /** The register of vulnerable people and the evacuation check-off (#17). */
  register: RegisterService
  /** The prescribed information reports to the district (初报、续报、终报, #17); `tick()` is their clock. */
  inforeports: InfoReportService
  /** Per-caller budgets for callers over HTTP and sockets. */
  limits: Limits
  audit: Audit
  now: () => Date
  /** Prometheus metrics (GET /metrics): parts report into it, the scrape reads the rest. */
  metrics: Metrics
  /** Sensor readings and the warnings their crossings propose (#17, docs/sensors.md). */
  sensors: SensorService
  /** The duty roster (#17, docs/duty.md); `duty.lastResort(now?)` is the escalation target of last resort. */
  duty: DutyService
  /** Web Push (#17): `push.channel` is the ladder's `push` rung; `connect(sink)` takes the service workers' receipts. */
  push: PushService
  /** Messaging robots (#17): `robots.channel` is the ladder's `robot` rung; the admin keeps the robots. */
  robots: RobotService
}

export async function createContext(config: Config, opts: { store?: Store, now?: () => Date } = {}): Promise<AppContext> {
  const store = opts.store ?? openStore(config)
  await store.migrate()
  const now = opts.now ?? (() => new Date())
  const audit = createAudit(store.auth, now)
  const live = await loadReference(store)
  const setup = createSetupService({ store, audit, live, now })
  await seedReference(config, store, setup)
  // Reads go through `live` at each call: a package applied later reaches every service without a restart.
  const withLive = <T extends object>(deps: T) => Object.defineProperties(deps, {
    reference: { get: () => live.reference, enumerable: true },
    catalog: { get: () => live.catalog, enumerable: true },
    grids: { get: () => live.grids, enumerable: true },
    live: { value: live, enumerable: true },
  }) as T & Pick<AppContext, 'reference' | 'catalog' | 'grids' | 'live'>
  // Photos, sign-in counts, positions and who is online, shared by every node: the tenant's database on PostgreSQL,
  // this process for SQLite.
  const pool = poolOf(store)
  const presence = pool ? createSharedPresence({ store: createPgPresenceStore(pool) }) : createPresence()
  const limits = createLimits({ reports: config.reportsPerMinute, actions: config.actionsPerMinute, logReads: config.logReadsPerMinute, photos: config.photosPerMinute }, () => now().getTime())
  const duplicates = createDuplicateIndex({ store, now, live })
  await duplicates.start()
  // What moved during an operation, for its report: a depot's resource kind or a shelter's people, and where. (Services
  // call each other only once the context is built: the report reads the moves, a move reads the operation.)
  // eslint-disable-next-line ts/no-use-before-define
  const afterAction = createAfterActionService(withLive({ store, audit, now, moves: async (op: Operation) => (await resources.usedIn(op.id)).moves.map((m) => {
    const f = live.reference.facilities
    const place = m.place === 'depot' ? f.depots.find(d => d.id === m.placeId)?.name : f.shelters.find(x => x.id === m.placeId)?.name
    return { at: m.at, kind: m.kind, item: m.itemKind ?? '人员', qty: m.qty, place: place ?? m.placeId }
  }) }))
  const wartime = createWartimeService(withLive({ store, audit, now, limits, online: () => presence.online(), onEnded: async (op: Operation) => void await afterAction.generate(op.id) }))
  const messages = createMessageService(withLive({ store, audit, now }))
  const notify = createNotifyService(withLive({ store, authStore: store.auth, audit, now, wartime, messages, config: config.notify }))
  const resources = createResourceService(withLive({ store, audit, now, active: () => wartime.active() }))
  const incidents = createIncidentService(withLive({ store, now, audit, limits, wartime: wartime.mode, duplicates }))
  // The ladder's rungs after the app: Web Push (its service workers' receipts come back through the ladder's sink),
  // the messaging robots, SMS (the ladder builds its own from config.notify); the duty roster is the last resort.
  const push = createPushChannel({ store: store.channels, config: config.push, audit, now })
  const robots = createRobotChannel(withLive({ store: store.channels, audit, now, http: { timeoutMs: config.webhooks.timeoutMs, allowPrivate: config.webhooks.allowPrivate } }))
  const duty = createDutyService(withLive({ store, audit, now }))
  push.connect(notify.sink)
  notify.use(push.channel)
  notify.use(robots.channel)
  notify.useLastResort(() => duty.lastResort())
  const auth = createAuthService(withLive({ store: store.auth, now }))
  // Other nodes on the same tenant learn of a revoked session from the change log; one node needs no log of it.
  if (pool)
    logRevocations({ store, auth, now })
  return withLive({
    config,
    store,
    now,
    setup,
    audit,
    presence,
    wartime,
    afterAction,
    district: createDistrictService({ store, audit, config, now }),
    limits,
    incidents,
    desk: createDeskService(withLive({ store, now, duplicates })),
    duplicates,
    messages,
    notify,
    warnings: createCapService(withLive({ store, audit, now })),
    auth,
    authStore: store.auth,
    scoring: createScoringService(withLive({ store, now })),
    ledger: createLedgerService(withLive({ store, audit, now })),
    patrols: createPatrolService(withLive({ store, audit, now, limits })),
    stats: createStatsService(withLive({ store, now })),
    // A bucket when one is configured, whatever the dialect; else the tenant's database, or this node's disk.
    photos: config.photosS3 ? createS3PhotoStore(config.photosS3) : pool ? createPgPhotoStore(pool) : createPhotoStore(join(config.dataDir, 'photos')),
    signInThrottle: createSignInThrottle({ ...DEFAULT_THROTTLE, perPairPerMinute: config.loginAttemptsPerMinute, now: () => now().getTime(), counters: pool ? createPgThrottleCounters(pool) : undefined }),
    webhooks: createWebhookService({ store, authStore: store.auth, audit, config: config.webhooks, now }),
    metrics: createMetrics({ store, now }),
    hotline: createHotlineService({ store, audit, incidents }),
    cases: createCaseService(withLive({ store, audit, now })),
    resources,
    register: createRegisterService(withLive({ store, audit, now, active: () => wartime.active() })),
    inforeports: createInfoReportService({ store, audit, live, now, config, sheltered: async id => (await resources.usedIn(id)).sheltered.checkedIn }),
    sensors: createSensorService(withLive({ store, audit, now, retentionDays: config.sensors.retentionDays })),
    duty,
    push,
    robots,
  })
}

/** The package in force when the process starts; the setup service keeps it in force as versions are committed. */
async function loadReference(store: Store): Promise<LiveReference> {
  const stored = await store.getPackage()
  return stored ? createLiveReference(stored.version, stored.pkg) : createLiveReference()
}

/**
 * An install with no package yet: the demo applies Cuntan's; a store from before packages were versioned carries its
 * reference over (it was Cuntan's). Any other install starts empty and the admin imports its own (the setup page).
 */
async function seedReference(config: Config, store: Store, setup: SetupService): Promise<void> {
  if (setup.status().configured)
    return
  const legacy = await store.getLegacyReference()
  if (config.demo || legacy)
    await setup.seed(await loadCuntanPackage(), legacy ? '沿用升级前的辖区数据 carried over from before versioned packages' : '演示：寸滩街道数据包 demo: the Cuntan package')
}
