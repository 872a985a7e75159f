import type { Permission } from '../../shared/auth/authz.ts'
import type { Result } from '../../shared/kernel/result.ts'
import type { LedgerKind, PointsAccount, PointsHistory } from '../../shared/scoring/schema.ts'
import type { Call } from '../audit/service.ts'
import type { AppContext } from '../context.ts'
import { fail, succeed } from '../../shared/kernel/result.ts'
import { monthRange } from '../../shared/kernel/time.ts'
import { isVolunteer, totals } from '../../shared/scoring/ledger.ts'

// The volunteers' pioneer index (先锋指数): the one place points are awarded and redeemed. Checks the caller's
// role, then appends to the ledger with its audit row in the same transaction; a refused redeem is audited too.

type Ctx = Pick<AppContext, 'store' | 'reference' | 'audit' | 'now'>

export interface PointsOp { opId: string, personId: string, points: number, reason: string, ref?: string }

const PERMISSION: Record<LedgerKind, Permission> = { earn: 'points:award', redeem: 'points:redeem' }

export function createLedgerService(ctx: Ctx) {
  const people = () => new Map(ctx.reference.org.people.map(p => [p.id, p]))

  async function account(personId: string, month: string): Promise<PointsAccount | null> {
    const person = people().get(personId)
    if (!isVolunteer(person))
      return null
    const { fromIso, toIso } = monthRange(month)
    const [entries, earned] = await Promise.all([ctx.store.scoring.ledger(personId), ctx.store.scoring.earnedBetween(fromIso, toIso)])
    const t = totals(entries).get(personId) ?? { earned: 0, redeemed: 0, balance: 0 }
    return { personId, name: person!.name, communityId: person!.communityId ?? null, ...t, pioneerIndex: earned.get(personId) ?? 0 }
  }

  return {
    /** Earn (a task or activity) or redeem (a reward); idempotent on `opId`. */
    async post(kind: LedgerKind, op: PointsOp, call: Call): Promise<Result<PointsHistory['entries'][number]>> {
      const { principal: caller, origin } = call
      const g = await ctx.audit.guard(call, PERMISSION[kind], op.personId)
      if (!g.ok)
        return g
      const person = people().get(op.personId)
      if (!isVolunteer(person))
        return fail('not_found', `${op.personId} is not a volunteer (志愿者) of the N forces`, 'personId')
      // Community staff keep the books of their own community's volunteers; the subdistrict desks keep anyone's.
      if (g.role === 'community_staff' && person!.communityId !== caller.communityId) {
        const why = `${op.personId} is a volunteer of another community`
        await ctx.audit.record(caller, origin, { action: PERMISSION[kind], target: op.personId, result: 'deny', detail: why })
        return fail('forbidden', why, 'personId')
      }
      const at = ctx.now().toISOString()
      const detail = `${kind} ${op.points}: ${op.reason}`
      const res = await ctx.store.scoring.appendLedger({ ...op, kind, ref: op.ref ?? null }, caller.personId ?? caller.id, at, (result, why) =>
        ctx.audit.entry(caller, origin, { action: PERMISSION[kind], target: op.personId, result, role: g.role, detail: why ? `${detail} — ${why}` : detail }))
      if (!res.ok)
        return res.code === 'conflict' ? fail('key_reused', res.message, 'opId') : fail('conflict', res.message, 'points')
      return succeed(res.entry, { created: !res.replayed, replayed: res.replayed })
    },

    account,

    async history(personId: string, month: string): Promise<PointsHistory | null> {
      const acc = await account(personId, month)
      return acc ? { ...acc, entries: await ctx.store.scoring.ledger(personId) } : null
    },

    /** Every volunteer's account, highest pioneer index first (then balance, then id). */
    async board(month: string): Promise<PointsAccount[]> {
      const { fromIso, toIso } = monthRange(month)
      const [entries, earned] = await Promise.all([ctx.store.scoring.ledger(), ctx.store.scoring.earnedBetween(fromIso, toIso)])
      const t = totals(entries)
      return ctx.reference.org.people.filter(isVolunteer).map(p => ({
        personId: p.id,
        name: p.name,
        communityId: p.communityId ?? null,
        ...(t.get(p.id) ?? { earned: 0, redeemed: 0, balance: 0 }),
        pioneerIndex: earned.get(p.id) ?? 0,
      })).sort((a, b) => b.pioneerIndex - a.pioneerIndex || b.balance - a.balance || (a.personId < b.personId ? -1 : 1))
    },
  }
}

export type LedgerService = ReturnType<typeof createLedgerService>
