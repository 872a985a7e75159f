import type { Reach } from '../auth/authz.ts'
import type { Incident, IncidentState } from '../incident/schema.ts'
import type { QueueTab } from './schema.ts'
import { withinReach } from '../auth/authz.ts'

// What each tab of the desk holds, written once. The server's SQL (server/desk/) answers the same question over
// the whole table with indexes; tests/server/desk checks the two agree on every incident.

export const QUEUE_TABS: readonly QueueTab[] = ['intake', 'handling', 'verify', 'feedback', 'overdue', 'assigned', 'mine', 'all']

/** The states each state-based tab holds. */
export const TAB_STATES: Partial<Record<QueueTab, readonly IncidentState[]>> = {
  intake: ['reported'],
  handling: ['accepted', 'assigned', 'handling'],
  verify: ['resolved'],
  feedback: ['verified'],
}

export const OPEN_STATES: readonly IncidentState[] = ['reported', 'accepted', 'assigned', 'handling', 'resolved', 'verified']

export const TAB_LABELS: Record<QueueTab, { zh: string, en: string }> = {
  intake: { zh: '待受理', en: 'To accept' },
  handling: { zh: '办理中', en: 'In progress' },
  verify: { zh: '待核查', en: 'To verify' },
  feedback: { zh: '待反馈', en: 'Feedback' },
  overdue: { zh: '超期', en: 'Overdue' },
  assigned: { zh: '派给我的', en: 'Assigned to me' },
  mine: { zh: '我上报的', en: 'Reported by me' },
  all: { zh: '全部', en: 'All' },
}

/** Whether `inc` is within the caller's reach: their desk sees it (my own reports always). */
export function onDesk(reach: Reach, personId: string | null, inc: Incident): boolean {
  return withinReach(reach, inc.owner) || (personId !== null && inc.reporterId === personId)
}

/** The states in which work assigned to a post (no one named) is in the hands of everyone on that post. */
export const POST_WORK_STATES: readonly IncidentState[] = ['assigned', 'handling']

/**
 * Whether `inc` belongs in `tab` for this caller at `now` (reach is checked separately by onDesk). "Assigned to
 * me" is what names me, and what is assigned to my post without naming anyone.
 */
export function inTab(tab: QueueTab, inc: Incident, personId: string | null, now: Date, myPostId: string | null = null): boolean {
  const states = TAB_STATES[tab]
  if (states)
    return states.includes(inc.state)
  switch (tab) {
    case 'overdue':
      return OPEN_STATES.includes(inc.state) && inc.stageDeadline !== null && inc.stageDeadline < now.toISOString()
    case 'assigned':
      return OPEN_STATES.includes(inc.state) && ((personId !== null && inc.owner.assigneeId === personId)
        || (myPostId !== null && inc.owner.assigneeId === null && inc.owner.postId === myPostId && POST_WORK_STATES.includes(inc.state)))
    case 'mine':
      return personId !== null && inc.reporterId === personId
    default:
      return true
  }
}

/**
 * The queue's order: open incidents first, the nearest stage deadline first (an open one without a deadline after
 * those with one), then the newest first; the same order the server's SQL gives.
 */
export function queueOrder(a: Incident, b: Incident): number {
  const openA = OPEN_STATES.includes(a.state)
  const openB = OPEN_STATES.includes(b.state)
  if (openA !== openB)
    return openA ? -1 : 1
  if (openA) {
    const da = a.stageDeadline ?? '9999'
    const db = b.stageDeadline ?? '9999'
    if (da !== db)
      return da < db ? -1 : 1
  }
  return a.reportedAt < b.reportedAt ? 1 : a.reportedAt > b.reportedAt ? -1 : a.id < b.id ? 1 : a.id > b.id ? -1 : 0
}
