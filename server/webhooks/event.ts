import type { HistoryEntry, Incident } from '../../shared/incident/schema.ts'
import type { WebhookEvent, WebhookIncident } from '../../shared/webhooks/schema.ts'
import { open311Status, statusNotes } from '../../shared/open311/status.ts'
import { WEBHOOK_EVENT_TYPE } from '../../shared/webhooks/schema.ts'

// What one step of an incident says to the system that reported it: never personal data (no reporter, no caller).

/** Stable across retries and restarts: one step (seq) of one incident (its own, or its master's). */
export const eventIdOf = (seq: number, incidentId: string): string => `evt_${seq}_${incidentId}`

function hotlineOf(inc: Incident): WebhookIncident['hotline'] {
  const h = inc.hotline
  if (!h)
    return undefined
  return {
    orderNo: h.orderNo,
    ...(h.dueAt ? { dueAt: h.dueAt } : {}),
    ...(h.replyText ? { replyText: h.replyText } : {}),
    ...(h.repliedAt ? { repliedAt: h.repliedAt } : {}),
    requests: h.requests.map(r => ({ kind: r.kind, status: r.status, at: r.at, ...(r.days ? { days: r.days } : {}), ...(r.answer ? { answer: r.answer } : {}) })),
    marks: h.marks.map(m => ({ kind: m.kind, at: m.at })),
  }
}

/**
 * The incident block: `own` is the reporter's incident; `outcome` is where it stands, which is its own state or,
 * once merged, the state of the incident it was merged into (with that one's history for the status notes).
 */
export function webhookIncident(own: Incident, outcome: Incident, history: Pick<HistoryEntry, 'note'>[]): WebhookIncident {
  const hotline = hotlineOf(own)
  return {
    id: own.id,
    version: own.version,
    state: outcome.state,
    status: open311Status(outcome.state),
    statusNotes: statusNotes({ state: outcome.state, history }),
    category: own.category,
    agencyResponsible: outcome.labels?.sector ?? outcome.labels?.post ?? null,
    expectedDatetime: outcome.stageDeadline,
    updatedAt: outcome.updatedAt,
    closedAt: outcome.closedAt,
    satisfied: outcome.satisfied,
    ...(hotline ? { hotline } : {}),
    mergedInto: own.mergedInto,
  }
}

/** One step as delivered. `via` names the master when the step happened there. */
export function webhookEvent(seq: number, at: string, action: string, own: Incident, outcome: Incident, history: HistoryEntry[]): WebhookEvent {
  // The history is read up to the step's version: its last entry is the step itself.
  const note = history.at(-1)?.note
  return {
    id: eventIdOf(seq, own.id),
    type: WEBHOOK_EVENT_TYPE,
    seq,
    at,
    incident: webhookIncident(own, outcome, history),
    action,
    ...(note ? { note } : {}),
    ...(outcome.id !== own.id ? { via: { id: outcome.id, version: outcome.version } } : {}),
  }
}
