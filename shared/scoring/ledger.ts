import type { LedgerEntry, LedgerKind } from './schema.ts'

// The volunteers' pioneer-index points (先锋指数积分) as an append-only ledger: points are earned for tasks and
// activities and redeemed for rewards. An entry is never edited or removed; a balance is the sum of the
// entries, and each entry records the balance after it so a reader can check the chain line by line.

export interface LedgerOp {
  opId: string
  personId: string
  kind: LedgerKind
  points: number
  reason: string
  ref?: string | null
}

export type LedgerDecision
  = | { ok: true, balanceAfter: number }
    | { ok: false, code: 'invalid' | 'insufficient', message: string }

/** Whether `op` may be applied to an account holding `balance`, and the balance after it. */
export function decide(balance: number, op: Pick<LedgerOp, 'kind' | 'points'>): LedgerDecision {
  if (!Number.isSafeInteger(op.points) || op.points <= 0)
    return { ok: false, code: 'invalid', message: `points must be a positive integer, got ${op.points}` }
  if (op.kind === 'earn')
    return { ok: true, balanceAfter: balance + op.points }
  if (op.points > balance)
    return { ok: false, code: 'insufficient', message: `balance ${balance} is less than the ${op.points} points asked for` }
  return { ok: true, balanceAfter: balance - op.points }
}

export interface AccountTotals { earned: number, redeemed: number, balance: number }

/** Totals per person from entries in ledger order. */
export function totals(entries: Iterable<Pick<LedgerEntry, 'personId' | 'kind' | 'points'>>): Map<string, AccountTotals> {
  const out = new Map<string, AccountTotals>()
  for (const e of entries) {
    const t = out.get(e.personId) ?? { earned: 0, redeemed: 0, balance: 0 }
    if (e.kind === 'earn')
      t.earned += e.points
    else
      t.redeemed += e.points
    t.balance = t.earned - t.redeemed
    out.set(e.personId, t)
  }
  return out
}

/** Broken invariants of a ledger read in seq order (empty = sound): chain, non-negative, unique op ids. */
export function auditLedger(entries: readonly LedgerEntry[]): string[] {
  const problems: string[] = []
  const balance = new Map<string, number>()
  const ops = new Set<string>()
  let lastSeq = 0
  for (const e of entries) {
    if (e.seq <= lastSeq)
      problems.push(`seq ${e.seq} is not after ${lastSeq}`)
    lastSeq = e.seq
    if (ops.has(e.opId))
      problems.push(`op ${e.opId} appears twice`)
    ops.add(e.opId)
    const before = balance.get(e.personId) ?? 0
    const d = decide(before, e)
    if (!d.ok)
      problems.push(`seq ${e.seq}: ${d.message}`)
    else if (d.balanceAfter !== e.balanceAfter)
      problems.push(`seq ${e.seq}: balanceAfter ${e.balanceAfter}, expected ${d.balanceAfter}`)
    balance.set(e.personId, d.ok ? d.balanceAfter : before)
    if (e.balanceAfter < 0)
      problems.push(`seq ${e.seq}: negative balance ${e.balanceAfter}`)
  }
  return problems
}

/** Who may hold points: volunteers of the N forces (志愿者). */
export function isVolunteer(person: { forceKind?: string } | undefined): boolean {
  return person?.forceKind === 'volunteer'
}

/** Points suggested for an hour of volunteer service; the desk may change them before recording. */
export const SERVICE_POINTS_PER_HOUR = 10

/** The suggested points for `hours` of service (whole points, at least 1 for any service at all). */
export function servicePoints(hours: number): number {
  return Number.isFinite(hours) && hours > 0 ? Math.max(1, Math.round(hours * SERVICE_POINTS_PER_HOUR)) : 0
}

/** The ledger reason of a service: what was done and for how long, as the desk recorded it. */
export function serviceReason(what: string, hours: number): string {
  return `${what.trim()}（${hours} 小时）`
}
