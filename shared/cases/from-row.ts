import type { ActionKind, Channel, HistoryEntry, Incident, IncidentLabels, IncidentState, Ownership } from '../incident/schema.ts'
import type { Category } from '../organisation/catalog.ts'
import type { Grid, LngLat } from '../territory/types.ts'
import type { Cell } from './columns.ts'
import { routeFor } from '../incident/routing.ts'
import { fromLocal } from '../kernel/time.ts'
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

export interface RowReader {
  get: (key: string) => Cell
  /** A problem with this row's value in column `key`. */
  bad: (key: string, code: string, zh: string, en: string) => void
}

/** An incident as a row describes it: everything but its version and history, which the import sets. */
export type ParsedIncident = Omit<Incident, 'version'> & { sourceId?: string }

const ID_RE = /^[\w.:-]{1,64}$/
const PHOTO_RE = /^[a-f0-9]{64}$/
const LOCAL_RE = /^(\d{4})[-/](\d{1,2})[-/](\d{1,2})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?$/

function str(r: RowReader, key: string): string {
  const c = r.get(key)
  return c === null || c === undefined ? '' : String(c).trim()
}

/** An ISO instant with its offset as is; a bare `2025-03-01 10:00` (or a date) is Asia/Shanghai time. */
export function parseTime(raw: string): string | null {
  const m = LOCAL_RE.exec(raw)
  if (m) {
    const [, y, mo, d, h, mi, s] = m
    const [month, day, hour, minute, second] = [mo, d, h, mi, s].map(v => Number(v ?? 0)) as [number, number, number, number, number]
    if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 59)
      return null
    return new Date(fromLocal(Number(y), month - 1, day, hour, minute, second)).toISOString()
  }
  if (!/^\d{4}-\d{2}-\d{2}T/.test(raw))
    return null
  const t = Date.parse(raw)
  return Number.isFinite(t) ? new Date(t).toISOString() : null
}

function time(r: RowReader, key: string, required = false): string | null {
  const raw = str(r, key) || str(r, `${key}Local`)
  if (raw === '') {
    if (required)
      r.bad(key, 'missing_value', '不能为空', 'must not be empty')
    return null
  }
  const t = parseTime(raw)
  if (t === null)
    r.bad(key, 'bad_time', `“${raw}”不是有效时间（如 2025-03-01T10:00:00+08:00 或 2025-03-01 10:00）`, `"${raw}" is not a time (e.g. 2025-03-01T10:00:00+08:00 or 2025-03-01 10:00)`)
  return t
}

/** A key or its Chinese name. */
function choice<K extends string>(r: RowReader, key: string, names: Record<K, string>): K | undefined {
  const raw = str(r, key)
  if (raw === '')
    return undefined
  const hit = (Object.keys(names) as K[]).find(k => k === raw || names[k] === raw)
  if (hit === undefined)
    r.bad(key, 'bad_value', `“${raw}”不是可选值（${Object.values<string>(names).join('、')}）`, `"${raw}" is not one of ${Object.keys(names).join(', ')}`)
  return hit
}

function int(r: RowReader, key: string, min: number, max: number): number | undefined {
  const raw = str(r, key)
  if (raw === '')
    return undefined
  const n = Number(raw)
  if (!Number.isInteger(n) || n < min || n > max) {
    r.bad(key, 'bad_value', `“${raw}”不是 ${min} 至 ${max} 的整数`, `"${raw}" is not an integer from ${min} to ${max}`)
    return undefined
  }
  return n
}

function num(r: RowReader, key: string, min: number, max: number): number | undefined {
  const raw = str(r, key)
  const n = Number(raw)
  if (raw === '' || !Number.isFinite(n) || n < min || n > max) {
    r.bad(key, raw === '' ? 'missing_value' : 'bad_value', raw === '' ? '不能为空' : `“${raw}”不是 ${min} 至 ${max} 的数字`, raw === '' ? 'must not be empty' : `"${raw}" is not a number from ${min} to ${max}`)
    return undefined
  }
  return n
}

function json<T>(r: RowReader, key: string, ok: (v: unknown) => v is T, what: string): T | undefined {
  const raw = str(r, key)
  if (raw === '')
    return undefined
  try {
    const v: unknown = JSON.parse(raw)
    if (ok(v))
      return v
  }
  catch {}
  r.bad(key, 'bad_json', `不是有效的 JSON ${what}`, `not valid JSON (${what})`)
  return undefined
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v)
const isStrings = (v: unknown): v is string[] => Array.isArray(v) && v.every(x => typeof x === 'string')
const isArray = (v: unknown): v is unknown[] => Array.isArray(v)
const split = (s: string) => s.split(/[;；]/).map(x => x.trim()).filter(Boolean)

function photos(r: RowReader, key: string): string[] | undefined {
  const ids = split(str(r, key))
  const badIds = ids.filter(p => !PHOTO_RE.test(p))
  if (badIds.length)
    r.bad(key, 'bad_value', `照片编号应为 64 位十六进制：${badIds[0]}`, `a photo id is 64 hex digits: ${badIds[0]}`)
  return ids.length ? ids : undefined
}

function satisfied(r: RowReader): boolean | null {
  const raw = str(r, 'satisfied').toLowerCase()
  if (raw === '')
    return null
  if (['是', '满意', 'true', '1', 'yes'].includes(raw))
    return true
  if (['否', '不满意', 'false', '0', 'no'].includes(raw))
    return false
  r.bad('satisfied', 'bad_value', `“${raw}”应为 是/否`, `"${raw}" is not yes/no (是/否)`)
  return null
}

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
