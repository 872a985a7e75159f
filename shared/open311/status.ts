import type { Incident, IncidentState } from '../incident/schema.ts'

// How our states read to a system outside (Open311 GeoReport v2 and the outcome webhooks, #16): the spec knows only
// open and closed; status_notes says where in the closed loop a request is, in the words a resident understands.

export type Open311Status = 'open' | 'closed'

const CLOSED: readonly IncidentState[] = ['resolved', 'verified', 'closed', 'rejected', 'merged']

/**
 * Open until the handler says it is done: a resolved or verified request is closed to the outside (the work is
 * done; verification and the feedback call are ours), as are rejected and merged ones.
 */
export function open311Status(state: IncidentState): Open311Status {
  return CLOSED.includes(state) ? 'closed' : 'open'
}

const NOTES: Record<IncidentState, { zh: string, en: string }> = {
  reported: { zh: '已收到，等待受理', en: 'Received, waiting to be accepted' },
  accepted: { zh: '已受理，正在派单', en: 'Accepted, being assigned' },
  assigned: { zh: '已派单至责任岗位', en: 'Assigned to the responsible post' },
  handling: { zh: '正在处置', en: 'Being handled' },
  resolved: { zh: '已办结，待核查', en: 'Resolved, being verified' },
  verified: { zh: '已核查办结', en: 'Resolved and verified' },
  closed: { zh: '已结案', en: 'Closed' },
  rejected: { zh: '不予受理', en: 'Not accepted' },
  merged: { zh: '已合并至同一问题的其他工单处理', en: 'Merged into another request about the same problem' },
}

/** status_notes: the state in words, then the last note a person wrote on it (a rejection's or resolution's reason). */
export function statusNotes(inc: Pick<Incident, 'state'> & { history?: { note?: string }[] }, lang: 'zh' | 'en' = 'zh'): string {
  const words = NOTES[inc.state][lang]
  const note = [...(inc.history ?? [])].reverse().find(h => h.note !== undefined && h.note.trim() !== '')?.note
  return note !== undefined && CLOSED.includes(inc.state) ? `${words}：${note}` : words
}
