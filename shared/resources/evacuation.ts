import type { EvacuationCheck, EvacuationTally } from './schema.ts'

// An operation's evacuation check-offs of one grid as the counts the change log may carry (no names, no ids).

export const tallyId = (operationId: string, gridId: string): string => `${operationId}:${gridId}`

/**
 * The grid's tally from its register (who is on it now) and the operation's check-offs; a check-off of someone
 * removed from the register since no longer counts.
 */
export function tallyOf(operationId: string, gridId: string, registered: readonly string[], checks: readonly EvacuationCheck[], prior: Pick<EvacuationTally, 'version'> | null, at: string): EvacuationTally {
  const on = new Set(registered)
  const mine = checks.filter(c => c.operationId === operationId && c.gridId === gridId && on.has(c.personId))
  const count = (s: EvacuationCheck['status']) => mine.filter(c => c.status === s).length
  return { id: tallyId(operationId, gridId), version: (prior?.version ?? 0) + 1, operationId, gridId, total: on.size, reached: count('reached'), evacuated: count('evacuated'), stays: count('stays'), updatedAt: at }
}
