import type { HistoryEntry, IncidentWithHistory } from '../incident/schema.ts'
import type { Cell } from './columns.ts'
import { localIso } from '../kernel/time.ts'
import { ACTION_ZH, CHANNEL_ZH, LOOP_ZH, STATE_ZH, TIME_KEYS } from './columns.ts'

// An incident as one flat row of cells by column key, and its history as one row per step. Pure: the XLSX, CSV
// and GeoJSON writers all start here, and from-row.ts reads the same keys back.

const list = (xs: string[] | undefined): Cell => (xs?.length ? xs.join(';') : null)
const json = (v: unknown): Cell => (v === undefined || (Array.isArray(v) && v.length === 0) ? null : JSON.stringify(v))
const text = (v: string | null | undefined): Cell => v ?? null

/** Every column of one incident; personal columns only when `personal` (absent, not blank, otherwise). */
export function incidentRow(inc: IncidentWithHistory, personal: boolean): Record<string, Cell> {
  const o = inc.owner
  const l = inc.labels ?? {}
  const h = inc.hotline
  const row: Record<string, Cell> = {
    id: inc.id,
    sourceId: typeof inc.attributes?.sourceId === 'string' ? inc.attributes.sourceId : null,
    version: inc.version,
    state: STATE_ZH[inc.state],
    category: inc.category,
    categoryName: text(l.category),
    title: inc.title,
    description: inc.description,
    severity: inc.severity,
    lon: inc.location.lon,
    lat: inc.location.lat,
    address: inc.address,
    channel: CHANNEL_ZH[inc.channel],
    reporterId: inc.reporterId,
    loop: LOOP_ZH[o.loop],
    communityId: o.communityId,
    communityName: text(l.community),
    gridId: o.gridId,
    gridName: text(l.grid),
    sectorId: o.sectorId,
    sectorName: text(l.sector),
    postId: o.postId,
    postName: text(l.post),
    helperSectorIds: list(o.helperSectorIds),
    assigneeId: o.assigneeId,
    assigneeName: text(l.assignee),
    reportedAt: inc.reportedAt,
    updatedAt: inc.updatedAt,
    acceptedAt: inc.acceptedAt,
    arrivedAt: text(inc.arrivedAt),
    resolvedAt: inc.resolvedAt,
    closedAt: inc.closedAt,
    stageDeadline: inc.stageDeadline,
    escalations: inc.escalations,
    reopenCount: inc.reopenCount,
    mergedInto: inc.mergedInto,
    satisfied: inc.satisfied === null ? null : inc.satisfied ? '是' : '否',
    feedbackContact: text(inc.feedbackContact),
    photos: list(inc.photos),
    resultPhotos: list(inc.resultPhotos),
    mediaUrl: text(inc.mediaUrl),
    hotlineOrderNo: text(h?.orderNo),
    hotlineDueAt: text(h?.dueAt),
    hotlineReplyText: text(h?.replyText),
    hotlineRepliedAt: text(h?.repliedAt),
    hotlineRequests: h ? JSON.stringify(h.requests) : null,
    hotlineMarks: h ? JSON.stringify(h.marks) : null,
    attributes: json(inc.attributes),
    possibleDuplicates: inc.possibleDuplicates === undefined ? null : JSON.stringify(inc.possibleDuplicates),
  }
  if (personal) {
    row.reporterName = text(inc.reporterName)
    row.reporterPhone = text(inc.reporterPhone)
    row.hotlineCaller = text(h?.caller)
    row.hotlineCallerPhone = text(h?.callerPhone)
  }
  for (const k of TIME_KEYS) {
    const v = row[k]
    row[`${k}Local`] = typeof v === 'string' ? localIso(v) : null
  }
  return row
}

/** One row per step, in order (step 1 is the report). */
export function historyRows(inc: IncidentWithHistory): Record<string, Cell>[] {
  return inc.history.map((e: HistoryEntry, i) => ({
    incidentId: inc.id,
    step: i + 1,
    at: e.at,
    atLocal: localIso(e.at),
    action: ACTION_ZH[e.action],
    from: e.from === null ? null : STATE_ZH[e.from],
    to: STATE_ZH[e.to],
    actorId: e.actor.personId,
    actorRole: e.actor.role,
    device: text(e.device),
    note: text(e.note),
    data: json(e.data),
  }))
}
