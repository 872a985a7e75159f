import type { ActionKind, Channel, HistoryEntry, Incident, IncidentLabels, IncidentState, Ownership } from '../incident/schema.ts'
import type { Category } from '../organisation/catalog.ts'
import type { Grid, LngLat } from '../territory/types.ts'
import type { RowReader } from './cells.ts'
import { routeFor } from '../incident/routing.ts'
import { choice, int, isArray, isObject, isStrings, json, num, photos, satisfied, split, str, time } from './cells.ts'
import { ACTION_ZH, CHANNEL_ZH, LOOP_ZH, STATE_ZH } from './columns.ts'

// One row of an import back into an incident (or a history step). Every value it cannot use is reported through
// `bad` naming its column; the caller collects them with the row number. Pure: the lookups come from the package
// in force.

export interface CaseLookup {
  /** By code, or by its Chinese name. */
  category: (codeOrName: string) => Category | undefined
  grid: (id: string) => Grid | undefined
  locate: (p: LngLat) => Grid | null
}

/** An incident as a row describes it: everything but its version and history, which the import sets. */
export type ParsedIncident = Omit<Incident, 'version'> & { sourceId?: string }

const ID_RE = /^[\w.:-]{1,64}$/
/**
 * The owner: when 层级 loop is given, the owner columns are taken as written (blank = none), so an export comes
 * back exactly; without it, the case is routed like a new report (category and the grid its point lies in).
 */
function ownerOf(r: RowReader, category: Category, location: LngLat | undefined, lookup: CaseLookup): Ownership {
  const gridId = str(r, 'gridId')
  let grid: Grid | null = null
  if (gridId) {
    grid = lookup.grid(gridId) ?? null
    if (!grid && !str(r, 'loop'))
      r.bad('gridId', 'unknown_grid', `网格“${gridId}”不存在`, `grid "${gridId}" does not exist`)
  }
  else if (location) {
    grid = lookup.locate(location)
  }
  const routed = routeFor(category, grid)
  const loop = choice(r, 'loop', LOOP_ZH)
  if (!loop)
    return routed
  const orNull = (k: string) => str(r, k) || null
  return {
    loop,
    communityId: orNull('communityId'),
    gridId: gridId || null,
    sectorId: orNull('sectorId'),
    postId: orNull('postId'),
    helperSectorIds: split(str(r, 'helperSectorIds')),
    assigneeId: orNull('assigneeId'),
  }
}

/** The incident a row describes; null when a value it cannot do without is missing or wrong. */
export function incidentOfRow(r: RowReader, lookup: CaseLookup): ParsedIncident | null {
  const id = str(r, 'id')
  if (id && !ID_RE.test(id))
    r.bad('id', 'bad_value', '编号只能含字母、数字和 _ . : -，最长 64 位', 'an id is letters, digits and _ . : -, at most 64')
  const code = str(r, 'category') || str(r, 'categoryName')
  const category = code ? lookup.category(code) : undefined
  if (!code)
    r.bad('category', 'missing_value', '类别不能为空（编码或名称）', 'the category (code or name) must not be empty')
  else if (!category)
    r.bad('category', 'unknown_category', `类别“${code}”不在类别目录中（按编码或名称匹配）`, `category "${code}" is not in the catalog (matched on code or name)`)
  const description = str(r, 'description')
  if (!description)
    r.bad('description', 'missing_value', '描述不能为空', 'the description must not be empty')
  const lon = num(r, 'lon', -180, 180)
  const lat = num(r, 'lat', -90, 90)
  const location = lon !== undefined && lat !== undefined ? { lon, lat } : undefined
  const reportedAt = time(r, 'reportedAt', true)
  const closedAt = time(r, 'closedAt')
  const state: IncidentState = choice(r, 'state', STATE_ZH) ?? (closedAt ? 'closed' : 'reported')
  const channel: Channel = choice(r, 'channel', CHANNEL_ZH) ?? 'system'
  // Every column is read, so a row's problems are reported together; a row missing what it cannot do without stops here.
  const fields = {
    title: str(r, 'title'),
    severity: int(r, 'severity', 1, 4),
    address: str(r, 'address'),
    channel,
    reporterId: str(r, 'reporterId') || null,
    state,
    updatedAt: time(r, 'updatedAt') ?? '',
    acceptedAt: time(r, 'acceptedAt'),
    resolvedAt: time(r, 'resolvedAt'),
    closedAt,
    stageDeadline: time(r, 'stageDeadline'),
    escalations: int(r, 'escalations', 0, 1000) ?? 0,
    reopenCount: int(r, 'reopenCount', 0, 1000) ?? 0,
    mergedInto: str(r, 'mergedInto') || null,
    satisfied: satisfied(r),
  }
  const optional: Partial<Incident> = {
    reporterName: str(r, 'reporterName') || undefined,
    reporterPhone: str(r, 'reporterPhone') || undefined,
    arrivedAt: time(r, 'arrivedAt') ?? undefined,
    feedbackContact: str(r, 'feedbackContact') || undefined,
    photos: photos(r, 'photos'),
    resultPhotos: photos(r, 'resultPhotos'),
    mediaUrl: str(r, 'mediaUrl') || undefined,
    attributes: json(r, 'attributes', isObject, '对象 object') as Incident['attributes'],
    possibleDuplicates: str(r, 'possibleDuplicates').startsWith('[') ? json(r, 'possibleDuplicates', isStrings, '字符串数组 array of strings') : (split(str(r, 'possibleDuplicates')).length ? split(str(r, 'possibleDuplicates')) : undefined),
    labels: labelsOfRow(r),
  }
  const orderNo = str(r, 'hotlineOrderNo')
  if (orderNo) {
    const caller = str(r, 'hotlineCaller')
    const callerPhone = str(r, 'hotlineCallerPhone')
    const dueAt = time(r, 'hotlineDueAt')
    const replyText = str(r, 'hotlineReplyText')
    const repliedAt = time(r, 'hotlineRepliedAt')
    optional.hotline = {
      orderNo,
      ...(caller ? { caller } : {}),
      ...(callerPhone ? { callerPhone } : {}),
      ...(dueAt ? { dueAt } : {}),
      ...(replyText ? { replyText } : {}),
      ...(repliedAt ? { repliedAt } : {}),
      requests: (json(r, 'hotlineRequests', isArray, '数组 array') ?? []) as NonNullable<Incident['hotline']>['requests'],
      marks: (json(r, 'hotlineMarks', isArray, '数组 array') ?? []) as NonNullable<Incident['hotline']>['marks'],
    }
  }
  if (!category || !location || !reportedAt || !description)
    return null
  const inc: ParsedIncident = {
    ...fields,
    id,
    category: category.code,
    title: fields.title || category.name,
    description,
    severity: fields.severity ?? category.severity,
    location,
    owner: ownerOf(r, category, location, lookup),
    reportedAt,
  }
  const sourceId = str(r, 'sourceId')
  if (sourceId) {
    inc.sourceId = sourceId
    optional.attributes = { ...optional.attributes, sourceId }
  }
  for (const [k, v] of Object.entries(optional)) {
    if (v !== undefined)
      (inc as Record<string, unknown>)[k] = v
  }
  return inc
}

function labelsOfRow(r: RowReader): IncidentLabels | undefined {
  const out: IncidentLabels = {}
  const keys = { category: 'categoryName', community: 'communityName', grid: 'gridName', sector: 'sectorName', post: 'postName', assignee: 'assigneeName' } as const
  for (const [label, key] of Object.entries(keys)) {
    const v = str(r, key)
    if (v)
      out[label as keyof IncidentLabels] = v
  }
  return Object.keys(out).length ? out : undefined
}

/** One step of the `history` sheet: which incident it belongs to, its order, the entry. */
export function historyOfRow(r: RowReader): { ref: string, step: number | undefined, entry: HistoryEntry } | null {
  const ref = str(r, 'incidentId')
  if (!ref)
    r.bad('incidentId', 'missing_value', '事件编号不能为空', 'the incident id must not be empty')
  const step = int(r, 'step', 1, 100_000)
  const at = time(r, 'at', true)
  const action: ActionKind | undefined = choice(r, 'action', ACTION_ZH)
  if (!str(r, 'action'))
    r.bad('action', 'missing_value', '动作不能为空', 'the action must not be empty')
  const from = str(r, 'from') ? choice(r, 'from', STATE_ZH) : null
  const to = choice(r, 'to', STATE_ZH)
  if (!str(r, 'to'))
    r.bad('to', 'missing_value', '新状态不能为空', 'the new state must not be empty')
  const data = json(r, 'data', isObject, '对象 object')
  if (!ref || !at || !action || from === undefined || !to)
    return null
  const entry: HistoryEntry = { at, action, actor: { personId: str(r, 'actorId') || 'import', role: str(r, 'actorRole') || 'system' }, from, to }
  const device = str(r, 'device')
  const note = str(r, 'note')
  if (device)
    entry.device = device
  if (note)
    entry.note = note
  if (data)
    entry.data = data
  return { ref, step, entry }
}
