import type { ReferenceData, RoleKey } from '../territory/types.ts'
import type { DutyDay, DutyEdit, DutyPerson } from './schema.ts'
import { dayOf } from '../kernel/time.ts'

// Who may stand on duty, what an edit must satisfy, and who is reached when nobody else answers. Pure.

/** A day's leader (带班领导): a subdistrict leader or the commander. */
export const LEADER_ROLES: readonly RoleKey[] = ['leader', 'commander']
/** A day's operators (值班员): the command center's duty operators or the commander. */
export const OPERATOR_ROLES: readonly RoleKey[] = ['operator', 'commander']

const DAY_MS = 86_400_000

function having(ref: ReferenceData, roles: readonly RoleKey[]): DutyPerson[] {
  return ref.org.people.filter(p => p.roles.some(r => roles.includes(r))).map(p => ({ id: p.id, name: p.name }))
}

export function dutyCandidates(ref: ReferenceData): { leaders: DutyPerson[], operators: DutyPerson[] } {
  return { leaders: having(ref, LEADER_ROLES), operators: having(ref, OPERATOR_ROLES) }
}

/** The days from `from` (YYYY-MM-DD, local), `n` of them. */
export function daysFrom(from: string, n: number): string[] {
  const noon = Date.parse(`${from}T12:00:00+08:00`)
  return Array.from({ length: n }, (_, i) => dayOf(noon + i * DAY_MS))
}

/** An edit's people resolved against the reference, or the field to fix. */
export function resolveEdit(ref: ReferenceData, edit: Pick<DutyEdit, 'leaderId' | 'operatorIds'>): { leader: DutyPerson | null, operators: DutyPerson[] } | { field: string, message: string } {
  const { leaders, operators } = dutyCandidates(ref)
  const leader = edit.leaderId === null ? null : leaders.find(p => p.id === edit.leaderId)
  if (leader === undefined)
    return { field: 'leaderId', message: `${edit.leaderId} is not a leader or the commander in the package in force` }
  if (new Set(edit.operatorIds).size !== edit.operatorIds.length)
    return { field: 'operatorIds', message: 'an operator is listed twice' }
  const picked: DutyPerson[] = []
  for (const [i, id] of edit.operatorIds.entries()) {
    const p = operators.find(o => o.id === id)
    if (!p)
      return { field: `operatorIds[${i}]`, message: `${id} is not a duty operator or the commander in the package in force` }
    picked.push(p)
  }
  return { leader, operators: picked }
}

/**
 * The escalation target of last resort on a day: its leader, then its operators; with nobody on the roster, the
 * people with the commander role. Person ids, in that order, without repeats.
 */
export function lastResortOf(day: DutyDay | null, ref: ReferenceData): string[] {
  const rostered = day ? [...(day.leader ? [day.leader.id] : []), ...day.operators.map(o => o.id)] : []
  const ids = rostered.length > 0 ? rostered : ref.org.people.filter(p => p.roles.includes('commander')).map(p => p.id)
  return [...new Set(ids)]
}
