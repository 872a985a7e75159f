import type { Cell } from '../../shared/cases/columns.ts'
import type { HistoryEntry, IncidentWithHistory } from '../../shared/incident/schema.ts'
import type { Catalog } from '../../shared/organisation/catalog.ts'
import type { ReferenceData } from '../../shared/territory/types.ts'
import { routeFor } from '../../shared/incident/routing.ts'
import { fromLocal } from '../../shared/kernel/time.ts'
import { idFromSource } from './import.ts'

// The import template's example: one historical 12345 case of the package in force, closed in 2025 with its steps,
// so the template imports as it is and shows what every column looks like.

const at = (d: number, h: number, m = 0) => new Date(fromLocal(2025, 2, d, h, m)).toISOString()

export function exampleCase(ref: ReferenceData, catalog: Catalog): IncidentWithHistory {
  const category = catalog.categories.find(c => c.loop === 'grid') ?? catalog.categories[0]!
  const grid = ref.territory.grids[0]
  const sourceId = 'SRC-2025-000123'
  const owner = routeFor(category, grid ?? null)
  const step = (d: number, h: number, action: HistoryEntry['action'], from: HistoryEntry['from'], to: HistoryEntry['to'], note?: string): HistoryEntry =>
    ({ at: at(d, h), action, actor: { personId: 'import', role: 'system' }, from, to, ...(note ? { note } : {}) })
  const history = [
    step(1, 9, 'report', null, 'reported', '12345 转来：楼道堆放杂物'),
    step(1, 10, 'accept', 'reported', 'accepted'),
    step(1, 11, 'assign', 'accepted', 'assigned'),
    step(2, 9, 'start', 'assigned', 'handling'),
    step(2, 15, 'resolve', 'handling', 'resolved', '已清理'),
    step(3, 10, 'verify', 'resolved', 'verified'),
    step(3, 17, 'close', 'verified', 'closed', '回访满意'),
  ]
  return {
    id: idFromSource(sourceId),
    version: history.length,
    category: category.code,
    title: category.name,
    description: '（示例）楼道堆放杂物，影响通行',
    severity: category.severity,
    location: grid ? { ...grid.center } : { lon: ref.territory.subdistrict.center.lon, lat: ref.territory.subdistrict.center.lat },
    address: '（示例）1 号楼 2 单元',
    channel: 'hotline_12345',
    reporterId: null,
    reporterName: '张先生',
    reporterPhone: '13800000000',
    state: 'closed',
    owner,
    reportedAt: at(1, 9),
    updatedAt: at(3, 17),
    acceptedAt: at(1, 10),
    resolvedAt: at(2, 15),
    closedAt: at(3, 17),
    stageDeadline: null,
    escalations: 0,
    reopenCount: 0,
    mergedInto: null,
    satisfied: true,
    labels: { category: category.name },
    hotline: { orderNo: '12345-2025-000123', caller: '张先生', callerPhone: '13800000000', requests: [], marks: [] },
    attributes: { sourceId },
    history,
  }
}

export const TEMPLATE_NOTES: Cell[][] = [
  ['（总则）', '第一行为表头“中文名 key”，导入时按中文名或 key 任一匹配；未知的列忽略。每行一件，事件的处置步骤写在 history 工作表（每步一行）。Headers are "中文 key"; either part matches. One case per row; its steps go in the history sheet.'],
  ['编号 id', '可空：空时按“来源系统编号”生成固定编号（再次导入同一文件不会重复）；已存在的编号跳过并报告。Blank: derived from sourceId, so a re-import skips it.'],
  ['来源系统编号 sourceId', '原系统的案件编号，保存在 attributes.sourceId。The source system\'s number.'],
  ['状态 state', '上报/受理/转办/处置/办结/核查/结案/不予受理/合并，或 reported…merged；空时有结案时间则为结案。'],
  ['类别编码 category', '按类别编码或类别名称匹配当前类别目录；找不到则该行报错。Matched on code or Chinese name.'],
  ['经度 lon / 纬度 lat', 'WGS84；网格按位置自动定位（网格编号为空时）。The grid is located from the point.'],
  ['层级 loop', '填写则各归属列（社区、网格、板块、岗位、处置人）按原样导入，空即无；不填则按类别和位置路由。Given: owner columns as written; blank: routed.'],
  ['时间列', 'ISO（2025-03-01T10:00:00+08:00）或“2025-03-01 10:00”（北京时间）；请以文本填写。“（北京时间）”列仅供阅读，导入时不读。'],
  ['渠道 channel', '网格员/居民/12345热线/Open311/系统，空为系统。'],
  ['history 工作表', '事件编号 incidentId 填事件的编号或来源系统编号；步骤 step 为顺序；第 1 步须为上报（原状态空），每步的原状态等于上一步的新状态，最后一步的新状态等于事件状态。没有步骤时按状态生成两步（上报、到达当前状态）。'],
  ['JSON 列', '扩展属性、延期退单申请、督办催办、附加数据为 JSON。'],
]
