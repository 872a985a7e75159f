import type { HistoryEntry, Incident } from '../../shared/incident/schema.ts'
import type { Catalog } from '../../shared/organisation/catalog.ts'
import type { ReferenceData } from '../../shared/territory/types.ts'
import type { IoServer } from '../realtime/index.ts'
import { routedBy } from '../../shared/desk/routed.ts'
import { redactIncident } from '../../shared/incident/privacy.ts'

/**
 * After a durable action: an incident that just landed in someone's hands is pushed to their room, so their phone
 * and desk ring at once. Without personal data: a screen that may see it fetches the incident itself.
 */
export function pushRouted(io: IoServer, ref: ReferenceData, catalog: Catalog, incident: Incident, entry: HistoryEntry): void {
  const routed = routedBy(ref, entry.action, incident, entry.actor.personId, catalog)
  if (!routed)
    return
  const notice = { incident: redactIncident(incident), why: routed.why }
  for (const id of routed.personIds)
    io.to(`person:${id}`).emit('incident:routed', notice)
}
