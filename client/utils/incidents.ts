import type { Incident, IncidentState } from '../../shared/schemas/incident.ts'

// TODO(lifecycle): import these from shared/domain once the lifecycle module lands there.
const FINISHED: ReadonlySet<IncidentState> = new Set(['closed', 'rejected', 'merged'])

/** Open means someone still owes work on it (resolved and verified wait for feedback). */
export function isOpen(incident: Pick<Incident, 'state'>): boolean {
  return !FINISHED.has(incident.state)
}

const dayFormat = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' })

/** The calendar day in Chongqing (UTC+8, no DST), e.g. '2026-11-27': "today" on the wall. */
export function shanghaiDay(at: Date | string | number): string {
  return dayFormat.format(new Date(at))
}
