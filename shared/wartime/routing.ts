import type { Incident } from '../incident/schema.ts'

/** In wartime the command center takes unified command: what it changes for an incident. */
export interface WartimeMode { operationId: string, deadlineFactor: number }

/** Shortens the current stage's deadline by the plan's factor, counted from `now`. */
function tighten(incident: Incident, mode: WartimeMode, now: Date): Incident {
  if (!incident.stageDeadline)
    return incident
  const left = Date.parse(incident.stageDeadline) - now.getTime()
  return { ...incident, stageDeadline: new Date(now.getTime() + Math.max(0, left) * mode.deadlineFactor).toISOString() }
}

/** A new report in wartime goes straight to the command center (the subdistrict loop), on a tighter clock. */
export function routeInWartime(incident: Incident, mode: WartimeMode, now: Date): Incident {
  return tighten({ ...incident, owner: { ...incident.owner, loop: 'subdistrict' } }, mode, now)
}

/** Every later stage in wartime runs on the tighter clock too. */
export function tightenInWartime(incident: Incident, mode: WartimeMode, now: Date): Incident {
  return tighten(incident, mode, now)
}
