import type { ActionKind, Channel, IncidentState } from '../incident/schema.ts'
import { ACTION_RULES } from '../incident/lifecycle.ts'

// The columns of a case export and import (#16). Every header is its Chinese name and its stable key,
// `编号 id`: people read the first part, the import matches either part (or both), so a column renamed in
// Chinese by a user, or a sheet written by another system with bare keys, still reads.

export type Cell = string | number | boolean | null

export interface CaseColumn {
  key: string
  zh: string
  /** Personal data: written only for callers who may read it (reporter, 12345 caller). */
  personal?: boolean
  /** Written for the reader, ignored on import (the local-time twin of a time, the version). */
  exportOnly?: boolean
}

/** Times: each is written twice, ISO (what the import reads) and Asia/Shanghai (what people read). */
export const TIME_KEYS = ['reportedAt', 'updatedAt', 'acceptedAt', 'arrivedAt', 'resolvedAt', 'closedAt', 'stageDeadline', 'hotlineDueAt', 'hotlineRepliedAt'] as const

const BASE: CaseColumn[] = [
  { key: 'id', zh: '编号' },
  { key: 'sourceId', zh: '来源系统编号' },
  { key: 'version', zh: '版本', exportOnly: true },
  { key: 'state', zh: '状态' },
  { key: 'category', zh: '类别编码' },
  { key: 'categoryName', zh: '类别名称' },
  { key: 'title', zh: '标题' },
  { key: 'description', zh: '描述' },
  { key: 'severity', zh: '等级' },
  { key: 'lon', zh: '经度' },
  { key: 'lat', zh: '纬度' },
  { key: 'address', zh: '地址' },
  { key: 'channel', zh: '渠道' },
  { key: 'reporterId', zh: '上报人编号' },
  { key: 'reporterName', zh: '上报人姓名', personal: true },
  { key: 'reporterPhone', zh: '上报人电话', personal: true },
  { key: 'loop', zh: '层级' },
  { key: 'communityId', zh: '社区编号' },
  { key: 'communityName', zh: '社区' },
  { key: 'gridId', zh: '网格编号' },
  { key: 'gridName', zh: '网格' },
  { key: 'sectorId', zh: '板块编号' },
  { key: 'sectorName', zh: '板块' },
  { key: 'postId', zh: '岗位编号' },
  { key: 'postName', zh: '岗位' },
  { key: 'helperSectorIds', zh: '协办板块' },
  { key: 'assigneeId', zh: '处置人编号' },
  { key: 'assigneeName', zh: '处置人' },
  { key: 'reportedAt', zh: '上报时间' },
  { key: 'updatedAt', zh: '更新时间' },
  { key: 'acceptedAt', zh: '受理时间' },
  { key: 'arrivedAt', zh: '到场时间' },
  { key: 'resolvedAt', zh: '办结时间' },
  { key: 'closedAt', zh: '结案时间' },
  { key: 'stageDeadline', zh: '当前环节时限' },
  { key: 'escalations', zh: '升级次数' },
  { key: 'reopenCount', zh: '重开次数' },
  { key: 'mergedInto', zh: '合并至' },
  { key: 'satisfied', zh: '满意' },
  { key: 'feedbackContact', zh: '回访方式' },
  { key: 'photos', zh: '现场照片' },
  { key: 'resultPhotos', zh: '处置后照片' },
  { key: 'mediaUrl', zh: '媒体链接' },
  { key: 'hotlineOrderNo', zh: '12345工单号' },
  { key: 'hotlineCaller', zh: '来电人', personal: true },
  { key: 'hotlineCallerPhone', zh: '来电电话', personal: true },
  { key: 'hotlineDueAt', zh: '工单时限' },
  { key: 'hotlineReplyText', zh: '答复内容' },
  { key: 'hotlineRepliedAt', zh: '答复时间' },
  { key: 'hotlineRequests', zh: '延期退单申请' },
  { key: 'hotlineMarks', zh: '督办催办' },
  { key: 'attributes', zh: '扩展属性' },
  { key: 'possibleDuplicates', zh: '疑似重复' },
]

/** The incident columns in order; each time is followed by its local twin (`reportedAtLocal`, 上报时间（北京时间）). */
export const CASE_COLUMNS: CaseColumn[] = BASE.flatMap(c => (TIME_KEYS as readonly string[]).includes(c.key)
  ? [c, { key: `${c.key}Local`, zh: `${c.zh}（北京时间）`, exportOnly: true }]
  : [c])

/** One row per recorded step (the `history` sheet). `incidentId` names the incident's id or its source number. */
export const HISTORY_COLUMNS: CaseColumn[] = [
  { key: 'incidentId', zh: '事件编号' },
  { key: 'step', zh: '步骤' },
  { key: 'at', zh: '时间' },
  { key: 'atLocal', zh: '时间（北京时间）', exportOnly: true },
  { key: 'action', zh: '动作' },
  { key: 'from', zh: '原状态' },
  { key: 'to', zh: '新状态' },
  { key: 'actorId', zh: '操作人编号' },
  { key: 'actorRole', zh: '操作人角色' },
  { key: 'device', zh: '设备' },
  { key: 'note', zh: '备注' },
  { key: 'data', zh: '附加数据' },
]

/** The CSV export has no second sheet: the steps go in one JSON column. */
export const HISTORY_JSON_COLUMN: CaseColumn = { key: 'history', zh: '处置记录' }

export const SHEETS = { incidents: 'incidents', history: 'history', notes: 'notes' } as const

export const header = (c: CaseColumn): string => `${c.zh} ${c.key}`

/**
 * The key each header names (`编号 id`, `id` or `编号`), by position; null for a column we do not know (ignored).
 */
export function keysOfHeaders(headers: string[], columns: CaseColumn[]): (string | null)[] {
  const byName = new Map<string, string>()
  for (const c of columns) {
    byName.set(header(c), c.key)
    byName.set(c.key.toLowerCase(), c.key)
    byName.set(c.zh, c.key)
  }
  return headers.map((h) => {
    const t = h.trim().replace(/\s+/g, ' ')
    return byName.get(t) ?? byName.get(t.toLowerCase()) ?? byName.get(t.split(' ').pop()!.toLowerCase()) ?? null
  })
}

export const STATE_ZH: Record<IncidentState, string> = {
  reported: '上报',
  accepted: '受理',
  assigned: '转办',
  handling: '处置',
  resolved: '办结',
  verified: '核查',
  closed: '结案',
  rejected: '不予受理',
  merged: '合并',
}

export const CHANNEL_ZH: Record<Channel, string> = {
  grid_worker: '网格员',
  resident: '居民',
  hotline_12345: '12345热线',
  open311: 'Open311',
  system: '系统',
  simulator: '模拟',
}

export const LOOP_ZH: Record<'grid' | 'community' | 'subdistrict', string> = { grid: '网格', community: '社区', subdistrict: '街道' }

export const ACTION_ZH = Object.fromEntries(Object.entries(ACTION_RULES).map(([k, r]) => [k, r.label.zh])) as Record<ActionKind, string>
