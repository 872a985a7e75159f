import type { Reach } from '../../shared/auth/authz.ts'
import type { QueueQuery, QueueTab } from '../../shared/desk/schema.ts'
import type { HistoryEntry, Incident, IncidentWithHistory } from '../../shared/incident/schema.ts'
import type { SubdistrictPackage } from '../../shared/setup/package.ts'
import type { ReferenceVersion } from '../../shared/setup/schema.ts'
import type { Change, EntityKind, EntityOf } from '../../shared/sync/schema.ts'
import type { ReferenceData } from '../../shared/territory/types.ts'
import type { ChannelStore } from '../notify/channel-store.ts'
import type { RegisterStore } from '../resources/store.ts'
import type { SensorStore } from '../sensors/store.ts'
import type { AfterActionStore } from '../wartime/after-action/store.ts'
import type { WebhookStore } from '../webhooks/store.ts'
import type { AuditEntry, AuthStore } from './auth-store.ts'
import type { StoreUnavailableError } from './errors.ts'
import type { ScoringStore } from './scoring-store.ts'

// The store interface. SQLite (dialects/sqlite.ts) is the embedded default; a PostgreSQL implementation
// plugs in behind the same interface. Methods are async so a networked store fits without changes upstream.

/** One incident mutation: the new state and the history entry that produced it. */
export interface IncidentMutation {
  kind: 'incident'
  incident: Incident
  entry: HistoryEntry
}

/** A versioned entity of another kind (task, operation, warning, message, plan): its new state. */
export interface EntityMutation<K extends EntityKind = EntityKind> {
  kind: 'entity'
  entityKind: K
  entity: EntityOf<K>
  /** What happened, as the change log names it (e.g. `activate`, `ack`). */
  action: string
  at: string
  /** A reference version's package (JSON), stored beside the log under its version in the same transaction. */
  blob?: string
}

/** The mutation that stores `e` as the next version of its entity, with its change's action and time. */
export function entity<K extends EntityKind>(entityKind: K, e: EntityOf<K>, action: string, at: string): EntityMutation<K> {
  return { kind: 'entity', entityKind, entity: e, action, at }
}

export type Mutation = IncidentMutation | EntityMutation

/** A stored result of a client operation, returned again on retry. */
export interface OpResult { status: number, body: unknown, fingerprint?: string }

export interface CommitRequest {
  mutations: Mutation[]
  /** Client operation id (Idempotency-Key or socket op id), scoped by the caller. */
  opKey?: string
  /** Hash of the request body: a retry with the same key but another body is refused. */
  fingerprint?: string
  /** The audit row of this action, written in the same transaction. */
  audit?: AuditEntry
  /**
   * Settings rows (`meta`, key → value) written in the same transaction: state a service keeps beside its
   * entities (the CAP reducer's alerts) is never a step behind or ahead of them, on any node, after any crash.
   */
  meta?: [key: string, value: string][]
  /** What to answer a retry with (computed before the commit: its body is usually one of the mutations' objects). */
  result?: () => OpResult
}

/** One page of the desk's queue: a tab within a reach, with filters (shared/desk/queue.ts says what each means). */
export interface IncidentQuery extends Omit<QueueQuery, 'tab' | 'q' | 'page' | 'pageSize'> {
  reach: Reach
  /** The caller's person: "assigned to me", "reported by me". */
  personId: string | null
  /** The caller's post: what is assigned to it without a name is "assigned to me" too. */
  myPostId: string | null
  tab: QueueTab
  now: string
  text?: string
  offset: number
  limit: number
}

/** The work waiting in each tab that holds open incidents (the desk's badges); 我上报的 and 全部 are history, not counted. */
export type QueueCounts = Record<Exclude<QueueTab, 'mine' | 'all'>, number>

/** Incidents of a category reported since `since` inside a box (merge candidates). */

/** One group commit's transaction: how long it took to be durable and how many requests it carried. */
export interface GroupStats { seconds: number, requests: number, ok: boolean }

export interface Store {
  readonly dialect: 'sqlite' | 'postgres'
  /** Accounts, sessions, share links, credentials and the audit trail. */
  readonly auth: AuthStore
  /** Patrol check-ins, frozen monthly scores and the points ledger (#7). */
  readonly scoring: ScoringStore
  /** Outcome webhooks' subscriptions and outbox (#16). */
  readonly webhooks: WebhookStore
  /** The register of vulnerable people and evacuation check-offs (#17): personal data, outside the change log. */
  readonly register: RegisterStore
  /** Operations' after-action reports (#17). */
  readonly afterAction: AfterActionStore
  /** Sensor readings (#17). */
  readonly sensors: SensorStore
  /** The push and robot channels of the notification ladder: keys, subscriptions, robots, sends (#17). */
  readonly channels: ChannelStore
  /**
   * Tries to become the tenant's leader (the node that runs the clocks): resolves a release function when this node
   * holds the lock, null when another node does; `onLost` is called if the hold is lost (its connection died).
   * Absent for a store only one process opens (SQLite): that process leads.
   */
  lockLeader?: (onLost: () => void) => Promise<(() => Promise<void>) | null>
  /** Runs pending migrations. Idempotent. */
  migrate: () => Promise<void>
  /**
   * Whether the store can commit now, by committing a tiny write (null = it can; else what stops it). Reads go on
   * either way. Answers within a fraction of a second even while another process holds the write lock.
   */
  probe: () => Promise<StoreUnavailableError | null>
  close: () => Promise<void>

  /** The reference an install stored before packages were versioned (#15): read once, to carry it over. */
  getLegacyReference: () => Promise<ReferenceData | null>
  /** The package of a reference version (the newest when omitted); null when none was ever applied. */
  getPackage: (version?: number) => Promise<{ version: number, pkg: SubdistrictPackage } | null>
  /** Every applied reference version, newest first. */
  listReferenceVersions: () => Promise<ReferenceVersion[]>

  /**
   * Commits the request's mutations atomically: each mutation appends one history row and one change with
   * the next seq. Resolves only after the commit is durable. Concurrent calls may share one transaction.
   * If `opKey` was committed before, nothing is written and the stored result is returned with `replayed`.
   */
  commit: (req: CommitRequest) => Promise<{ changes: Change[], result: OpResult | null, replayed: boolean }>
  /** The stored result of an earlier operation, if any. */
  getOp: (opKey: string) => Promise<OpResult | null>

  /**
   * Bulk import for back-filled history: all the mutations in one transaction (all or nothing), same
   * invariants as commit. Not for live traffic.
   */
  importMutations: (mutations: Mutation[]) => Promise<void>

  getIncident: (id: string) => Promise<IncidentWithHistory | null>
  countIncidents: () => Promise<number>
  /** The incident's current state without its history (cheaper, for actions). */
  getIncidentState: (id: string) => Promise<Incident | null>
  getEntity: <K extends EntityKind>(kind: K, id: string) => Promise<EntityOf<K> | null>
  listEntities: <K extends EntityKind>(kind: K) => Promise<EntityOf<K>[]>
  /** Incidents not finished, plus those finished after `finishedSince`. */
  listLive: (finishedSince: string) => Promise<Incident[]>
  /** Open incidents whose stage deadline is before `now`. */
  listOverdue: (now: string) => Promise<Incident[]>
  /** One page of the desk's queue, in queue order (nearest deadline first), and how many match (counted up to a bound; `more` past it). */
  queryIncidents: (q: IncidentQuery) => Promise<{ items: Incident[], total: number, more: boolean }>
  /** How many open incidents each work tab holds within a reach. */
  countQueue: (q: Pick<IncidentQuery, 'reach' | 'personId' | 'myPostId' | 'now'>) => Promise<QueueCounts>
  /** The incident a 12345 order became, by the order's number and who sent it (#16); null if none. */
  findHotlineOrder: (reporterId: string, orderNo: string) => Promise<Incident | null>
  /** Incidents reported in [from, to), for statistics. */
  listReportedBetween: (from: string, to: string) => Promise<Incident[]>

  /** Open incidents plus recently finished ones, and the seq they reflect, read atomically. */
  snapshot: (finishedSince: string) => Promise<{ seq: number, incidents: Incident[] }>
  /** Called synchronously after each durable commit, with its changes in seq order. */
  onCommit: (listener: (changes: Change[]) => void) => () => void
  /** Called after each group transaction (committed or not): for metrics, so it must stay cheap. */
  onGroup?: (listener: (g: GroupStats) => void) => () => void

  /**
   * The log's epoch: seqs are comparable only within one epoch. A new log gets a new one, and so does a database
   * brought back from a backup (PostgreSQL: a new cluster or timeline), so a screen holding seq N of another history
   * takes a snapshot instead of resuming at N (docs/postgres.md says how to start a new epoch by hand).
   */
  epoch: () => Promise<string>
  /** Highest committed seq (0 when empty). */
  head: () => Promise<number>
  /** Lowest seq still in the log (the log may be pruned); head + 1 when empty. */
  tail: () => Promise<number>
  /** Changes with seq > since, ascending, at most `limit`. */
  changesSince: (since: number, limit: number) => Promise<Change[]>
}
