import type { IncidentRecord } from '../../shared/scoring/facts.ts'
import type { LedgerOp } from '../../shared/scoring/ledger.ts'
import type { LedgerEntry, MonthResult, Patrol } from '../../shared/scoring/schema.ts'
import type { AuditEntry } from './auth-store.ts'

// What the horse race (#7) reads and writes: patrol check-ins, frozen months, the points ledger, and the
// history reads scoring needs. Behind one interface so a PostgreSQL implementation can replace the SQLite one.

export type LedgerAppend
  = | { ok: true, entry: LedgerEntry, replayed: boolean }
    | { ok: false, code: 'insufficient' | 'invalid' | 'conflict', message: string }

export interface ScoringStore {
  /** Stores a check-in and its audit row in one transaction; a repeated `opKey` returns the first check-in. */
  addPatrol: (p: Patrol, opKey: string | null, audit: AuditEntry) => Promise<{ patrol: Patrol, replayed: boolean }>
  /** Bulk import for the demo back-fill. */
  importPatrols: (ps: Patrol[]) => Promise<void>
  listPatrols: (fromIso: string, toIso: string) => Promise<Patrol[]>

  /** Incidents with a history step in [from, to) or possibly open at `to`, each with its full history. */
  incidentsForMonth: (fromIso: string, toIso: string) => Promise<IncidentRecord[]>
  /** Distinct incidents with a step into 'closed' in [from, to), and those of severity ≤ `urgentSeverity`. */
  countClosed: (fromIso: string, toIso: string, urgentSeverity: number) => Promise<{ closed: number, urgent: number }>
  /** Incidents reported in [from, to), by category code. */
  countReported: (fromIso: string, toIso: string) => Promise<Record<string, number>>
  /** The earliest recorded incident step or patrol, if any: months before it have nothing to score. */
  earliestRecord: () => Promise<string | null>

  getFrozen: (month: string) => Promise<MonthResult | null>
  /** Stores the month unless it is already frozen; returns what is stored (the first freeze wins). */
  freeze: (result: MonthResult) => Promise<MonthResult>
  frozenMonths: () => Promise<string[]>

  /**
   * Appends one ledger entry in one transaction with its audit row: reads the balance, refuses a redeem
   * beyond it, writes. An `opId` seen before returns its entry (or a conflict if the body differs).
   */
  appendLedger: (op: LedgerOp, actorId: string, at: string, audit: (result: 'allow' | 'fail', detail: string | null) => AuditEntry) => Promise<LedgerAppend>
  /** Bulk import for the demo back-fill: the same balance rule, one transaction, no audit rows. Returns how many were refused. */
  importLedger: (rows: { op: LedgerOp, actorId: string, at: string }[]) => Promise<number>
  ledger: (personId?: string) => Promise<LedgerEntry[]>
  /** Points earned per person in [from, to). */
  earnedBetween: (fromIso: string, toIso: string) => Promise<Map<string, number>>
}
