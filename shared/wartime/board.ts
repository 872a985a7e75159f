import type { Task } from './schema.ts'

// The acknowledgement board's figures as pure functions of the tasks and `now`: the wall's board, the leaders' view
// and the prescribed information reports (shared/inforeport/) use these, so a report's figures match the board.

export interface Board {
  total: number
  acknowledged: number
  onScene: number
  done: number
  resent: number
  escalated: number
  /** Past the acknowledgement deadline and still not acknowledged. */
  late: number
}

// A task counts as acknowledged by its state, the same test the server's acknowledgement clock applies before it
// re-sends or escalates (shared/wartime/plans.ts stepTask): a state past 'delivered'. The timestamps follow the
// state (advanceTask fills them in), so one rule serves the board, the checklist, the map and the leaders' view.
const ACKED: ReadonlySet<Task['state']> = new Set(['acknowledged', 'on_scene', 'done'])
const ARRIVED: ReadonlySet<Task['state']> = new Set(['on_scene', 'done'])

export const isAcknowledged = (t: Task): boolean => ACKED.has(t.state)
export const hasArrived = (t: Task): boolean => ARRIVED.has(t.state)
export const isLive = (t: Task): boolean => t.state !== 'cancelled'

export function tally(tasks: Iterable<Task>, now: number): Board {
  const b: Board = { total: 0, acknowledged: 0, onScene: 0, done: 0, resent: 0, escalated: 0, late: 0 }
  for (const t of tasks) {
    if (!isLive(t))
      continue
    b.total++
    if (isAcknowledged(t))
      b.acknowledged++
    else if (Date.parse(t.ackDeadline) < now)
      b.late++
    if (hasArrived(t))
      b.onScene++
    if (t.state === 'done')
      b.done++
    if (t.resends > 0)
      b.resent++
    if (t.escalatedTo.length > 0)
      b.escalated++
  }
  return b
}
