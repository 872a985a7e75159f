import type { Mutation } from '../../server/db/store.ts'
import type { Incident } from '../../shared/incident/schema.ts'

// Incidents as the store tests write them straight to a store (no service): only what the store's rows read.

export const STORE_AT = '2026-12-07T08:00:00.000Z'

/** Version 1 is a new report; a later version is accepted, its stage due on day `version` of December. */
export function storeIncident(id: string, version = 1, desk: Partial<Incident['owner']> = {}): Incident {
  return {
    id,
    version,
    state: version === 1 ? 'reported' : 'accepted',
    title: id,
    description: '存储测试',
    address: '',
    category: 'noise',
    severity: 3,
    channel: 'app',
    reporterId: 'p-1',
    reportedAt: STORE_AT,
    updatedAt: STORE_AT,
    stageDeadline: version === 1 ? null : `2026-12-0${version}T08:00:00.000Z`,
    location: { lon: 106.6, lat: 29.6 },
    owner: { communityId: 'c-1', gridId: 'g-1', sectorId: 's-1', postId: null, helperSectorIds: [], assigneeId: null, loop: 'community', ...desk },
  } as unknown as Incident
}

/** The incident written as its report (version 1) or its acceptance. */
export function incidentMutation(inc: Incident, role = 'operator'): Mutation {
  return {
    kind: 'incident',
    incident: inc,
    entry: { at: STORE_AT, action: inc.version === 1 ? 'report' : 'accept', actor: { personId: 'p-1', role }, from: null, to: inc.state } as never,
  }
}
