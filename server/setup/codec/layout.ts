import type { IncidentState } from '../../../shared/incident/schema.ts'

// The package's files, sheets and column headers (docs/package-format.md). Keys are the fields they fill; the
// Chinese header is what an integrator sees and what the reader looks for. Stable: changing one breaks packages.

export const FILES = {
  communities: 'communities.geojson',
  grids: 'grids.geojson',
  facilities: 'facilities.geojson',
  workbook: 'subdistrict.xlsx',
  plans: 'plans.json',
  scoring: 'scoring.json',
} as const

/** The top-level foreign member of a GeoJSON file (and the 街道 setting) declaring its coordinate system. */
export const CRS_MEMBER = 'crs_name'

export const SHEETS = {
  settings: '街道',
  sectors: '板块',
  posts: '岗位',
  people: '人员',
  rosters: '网格力量',
  liaisons: '网格联络人',
  forceKinds: '力量类别',
  forceUnits: '力量单位',
  categories: '事项类别',
  vocab: '字典',
  stock: '物资储备',
  /** Optional: holidays and make-up working days over the published calendar. */
  calendar: '节假日',
} as const
export type SheetKey = keyof typeof SHEETS

/** The states whose deadline the 事项类别 sheet carries, in its column order. */
export const DEADLINE_STATES: readonly IncidentState[] = ['reported', 'accepted', 'assigned', 'handling', 'resolved', 'verified']
const DEADLINE_HEADERS: Record<string, string> = {
  'deadline.reported': '受理时限(分钟)',
  'deadline.accepted': '转办时限(分钟)',
  'deadline.assigned': '处置开始时限(分钟)',
  'deadline.handling': '办结时限(分钟)',
  'deadline.resolved': '核查时限(分钟)',
  'deadline.verified': '反馈时限(分钟)',
}

/** Optional columns: a stage's limit in working days (工作日), which wins over its minutes. */
const WORKDAY_HEADERS: Record<string, string> = {
  'workdays.reported': '受理时限(工作日)',
  'workdays.accepted': '转办时限(工作日)',
  'workdays.assigned': '处置开始时限(工作日)',
  'workdays.handling': '办结时限(工作日)',
  'workdays.resolved': '核查时限(工作日)',
  'workdays.verified': '反馈时限(工作日)',
}

const NAMED = { id: '编码', name: '名称', nameEn: '英文名称' }

/** Column headers per sheet, in order; `required` lists the keys whose column must be present and filled. */
export const COLUMNS: Record<SheetKey, { headers: Record<string, string>, required: string[] }> = {
  settings: { headers: { key: '项目', value: '值' }, required: ['key'] },
  sectors: { headers: NAMED, required: ['id', 'name'] },
  posts: { headers: { id: '编码', sectorId: '板块', name: '名称', nameEn: '英文名称' }, required: ['id', 'sectorId', 'name'] },
  people: {
    headers: { id: '编号', name: '姓名', roles: '角色', title: '职务', sectorId: '板块', postId: '岗位', communityId: '社区', forceKind: '力量类别', forceUnitId: '力量单位', phone: '电话', smartphone: '智能手机' },
    required: ['id', 'name', 'roles'],
  },
  rosters: { headers: { gridId: '网格', workerId: '网格员', instructorId: '网格指导员', contactLeaderId: '包联领导' }, required: ['gridId', 'workerId', 'instructorId', 'contactLeaderId'] },
  liaisons: { headers: { gridId: '网格', kind: '力量类别', personId: '人员' }, required: ['gridId', 'kind', 'personId'] },
  forceKinds: { headers: NAMED, required: ['id', 'name'] },
  forceUnits: {
    headers: { id: '编码', kind: '力量类别', name: '名称', memberIds: '成员', baseLon: '驻地经度', baseLat: '驻地纬度' },
    required: ['id', 'kind', 'name', 'baseLon', 'baseLat'],
  },
  categories: {
    headers: { id: '编码', name: '名称', nameEn: '英文名称', severity: '等级', loop: '闭环', type: '责任类型', leadPost: '牵头岗位', helperPosts: '协同岗位', ...DEADLINE_HEADERS, weight: '权重', ...WORKDAY_HEADERS },
    required: ['id', 'name', 'severity', 'loop', 'type', 'weight'],
  },
  vocab: { headers: { type: '类型', ...NAMED }, required: ['type', 'id', 'name'] },
  stock: { headers: { depotId: '储备点', kind: '物资类型', qty: '数量' }, required: ['depotId', 'kind', 'qty'] },
  calendar: { headers: { date: '日期', kind: '类型', name: '名称' }, required: ['date', 'kind'] },
}

/** 类型 in the 节假日 sheet: 休 a day off, 班 a working day (the English words are accepted too). */
export const CALENDAR_KINDS: Record<'holiday' | 'workday', string> = { holiday: '休', workday: '班' }

/** Sheets a package may leave out. */
export const OPTIONAL_SHEETS: readonly SheetKey[] = ['calendar']

/** Rows of the 街道 sheet: key → 项目 label (the reader also accepts the English key in 项目). */
export const SETTINGS: Record<string, string> = {
  format: '格式版本',
  id: '编号',
  name: '名称',
  nameEn: '英文名称',
  code: '区划代码',
  centerLon: '中心经度',
  centerLat: '中心纬度',
  wallTitle: '大屏标题',
  wallTitleEn: '大屏英文标题',
  capAreaCodes: '预警区划代码',
  capAreaNames: '预警区域名称',
  headline: '头条事项',
  crs: '坐标系',
}
export const REQUIRED_SETTINGS = ['format', 'id', 'name', 'code', 'centerLon', 'centerLat']

/** 字典 sheet: 类型 values and the list each fills. */
export const VOCAB_TYPES = { riskTags: '风险标签', riskPointKinds: '风险点类型', resourceKinds: '物资类型' } as const

export const SEVERITIES = ['I', 'II', 'III', 'IV'] as const
export const LOOP_NAMES = { grid: '网格', community: '社区', subdistrict: '街道' } as const
export const RESPONSIBILITY_NAMES = { single: '单一板块', cross: '跨板块', community_task: '社区任务', grid_task: '网格任务' } as const

/** Separator of lists inside one cell; the full-width ； is accepted too. */
export const LIST_SEPARATOR = ';'
