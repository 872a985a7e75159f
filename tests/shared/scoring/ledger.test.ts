import type { LedgerEntry } from '../../../shared/scoring/schema.ts'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { auditLedger, decide, totals } from '../../../shared/scoring/ledger.ts'

// The ledger's rules as properties over random sequences of earn and redeem operations, applied the way the
// store applies them: decide against the current balance, append only what is allowed.

const op = fc.record({
  personId: fc.constantFrom('v1', 'v2', 'v3'),
  kind: fc.constantFrom('earn' as const, 'redeem' as const),
  points: fc.integer({ min: 1, max: 60 }),
})

function run(ops: { personId: string, kind: 'earn' | 'redeem', points: number }[]): { entries: LedgerEntry[], refused: number } {
  const entries: LedgerEntry[] = []
  const balance = new Map<string, number>()
  let refused = 0
  ops.forEach((o, i) => {
    const d = decide(balance.get(o.personId) ?? 0, o)
    if (!d.ok) {
      refused++
      return
    }
    balance.set(o.personId, d.balanceAfter)
    entries.push({ seq: entries.length + 1, opId: `op-${i}`, ...o, balanceAfter: d.balanceAfter, reason: 'test', ref: null, actorId: 'a', at: '2026-11-01T00:00:00.000Z' })
  })
  return { entries, refused }
}

describe('points ledger rules', () => {
  it('keeps balance = earned − redeemed, never negative, with no operation lost', () => {
    fc.assert(fc.property(fc.array(op, { maxLength: 80 }), (ops) => {
      const { entries, refused } = run(ops)
      expect(entries.length + refused).toBe(ops.length)
      expect(auditLedger(entries)).toEqual([])
      for (const [person, t] of totals(entries)) {
        expect(t.balance).toBe(t.earned - t.redeemed)
        expect(t.balance).toBeGreaterThanOrEqual(0)
        const last = entries.filter(e => e.personId === person).at(-1)!
        expect(last.balanceAfter).toBe(t.balance)
      }
    }))
  })

  it('refuses a redeem beyond the balance and a non-positive amount', () => {
    expect(decide(10, { kind: 'redeem', points: 11 })).toMatchObject({ ok: false, code: 'insufficient' })
    expect(decide(10, { kind: 'redeem', points: 10 })).toEqual({ ok: true, balanceAfter: 0 })
    expect(decide(10, { kind: 'earn', points: 0 })).toMatchObject({ ok: false, code: 'invalid' })
    expect(decide(10, { kind: 'earn', points: 1.5 })).toMatchObject({ ok: false, code: 'invalid' })
  })

  it('finds a tampered chain: a wrong balance, a negative one, a repeated operation', () => {
    const { entries } = run([{ personId: 'v1', kind: 'earn', points: 5 }, { personId: 'v1', kind: 'redeem', points: 3 }])
    expect(auditLedger([entries[0]!, { ...entries[1]!, balanceAfter: 3 }])).toHaveLength(1)
    expect(auditLedger([{ ...entries[1]!, seq: 1 }])).not.toEqual([])
    expect(auditLedger([entries[0]!, { ...entries[0]!, seq: 2, balanceAfter: 10 }])).toEqual(['op op-0 appears twice'])
  })
})
