import type { RowReader } from '../../../shared/cases/cells.ts'
import type { Cell } from '../../../shared/cases/columns.ts'
import type { CaseLookup } from '../../../shared/cases/from-row.ts'
import type { HistoryEntry, IncidentWithHistory } from '../../../shared/incident/schema.ts'
import { describe, expect, it } from 'vitest'
import { parseTime } from '../../../shared/cases/cells.ts'
import { CASE_COLUMNS, header, keysOfHeaders } from '../../../shared/cases/columns.ts'
import { historyOfRow, incidentOfRow } from '../../../shared/cases/from-row.ts'
import { historyProblems, stepsOf, synthesiseHistory } from '../../../shared/cases/replay.ts'
import { historyRows, incidentRow } from '../../../shared/cases/to-row.ts'
import { DEFAULT_CATALOG } from '../../../shared/organisation/catalog.ts'

const GRID = { id: 'g-1', communityId: 'c-1', name: '一网格', polygon: [], center: { lon: 106.6, lat: 29.6 }, riskTags: [] } as unknown as ReturnType<CaseLookup['locate']>
const lookup: CaseLookup = {
  category: s => DEFAULT_CATALOG.categories.find(c => c.code === s || c.name === s),
  grid: id => (id === 'g-1' ? GRID! : undefined),
  locate: () => GRID,
}

function reader(cells: Record<string, Cell>) {
  const problems: string[] = []
  const r: RowReader = { get: k => cells[k] ?? null, bad: (k, code) => problems.push(`${k}:${code}`) }
  return { r, problems }
}

const step = (at: string, action: HistoryEntry['action'], from: HistoryEntry['from'], to: HistoryEntry['to']): HistoryEntry => ({ at, action, actor: { personId: 'p', role: 'operator' }, from, to })

const CASE: IncidentWithHistory = {
  id: 'inc_1',
  version: 3,
  category: 'noise',
  title: '噪音',
  description: '=1+1 夜间噪音',
  severity: 3,
  location: { lon: 106.61, lat: 29.61 },
  address: '某路 1 号',
  channel: 'hotline_12345',
  reporterId: null,
  reporterName: '李',
  reporterPhone: '139',
  state: 'resolved',
  owner: { loop: 'community', communityId: 'c-1', gridId: null, sectorId: null, postId: null, helperSectorIds: ['party'], assigneeId: 'gw-1' },
  reportedAt: '2025-01-01T00:00:00.000Z',
  updatedAt: '2025-01-02T00:00:00.000Z',
  acceptedAt: '2025-01-01T01:00:00.000Z',
  resolvedAt: '2025-01-02T00:00:00.000Z',
  closedAt: null,
  stageDeadline: '2025-01-03T00:00:00.000Z',
  escalations: 1,
  reopenCount: 0,
  mergedInto: null,
  satisfied: null,
  hotline: { orderNo: 'GD-1', caller: '李', dueAt: '2025-01-05T00:00:00.000Z', requests: [{ kind: 'extension', reason: '材料', days: 3, at: '2025-01-01T02:00:00.000Z', by: 'op', status: 'pending' }], marks: [] },
  attributes: { sourceId: 'S-1', tags: ['a', 'b'] },
  labels: { category: '噪音扰民', community: '一社区' },
  history: [step('2025-01-01T00:00:00.000Z', 'report', null, 'reported'), step('2025-01-01T01:00:00.000Z', 'accept', 'reported', 'accepted'), step('2025-01-02T00:00:00.000Z', 'resolve', 'accepted', 'resolved')],
}

describe('case columns', () => {
  it('reads a header by its Chinese name, its key or both', () => {
    expect(keysOfHeaders(['编号 id', 'lon', '纬度', 'Category', '不认识'], CASE_COLUMNS)).toEqual(['id', 'lon', 'lat', 'category', null])
    expect(CASE_COLUMNS.map(header)).toContain('上报时间（北京时间） reportedAtLocal')
  })
})

describe('times in an import', () => {
  it('keeps an ISO instant and reads a bare time as Asia/Shanghai', () => {
    expect(parseTime('2025-03-01T10:00:00+08:00')).toBe('2025-03-01T02:00:00.000Z')
    expect(parseTime('2025-03-01 10:00')).toBe('2025-03-01T02:00:00.000Z')
    expect(parseTime('2025/3/1')).toBe('2025-02-28T16:00:00.000Z')
    expect(parseTime('昨天')).toBeNull()
    expect(parseTime('2025-13-45T00:00:00Z')).toBeNull()
    expect(parseTime('2025-02-30 25:00')).toBeNull()
  })
})

describe('an incident as a row and back', () => {
  it('gives back the same incident, owner as written when the loop is given', () => {
    const { r, problems } = reader(incidentRow(CASE, true))
    const back = incidentOfRow(r, lookup)
    expect(problems).toEqual([])
    const { history: _h, version: _v, ...rest } = CASE
    expect(back).toEqual({ ...rest, sourceId: 'S-1' })
  })

  it('leaves personal columns out without personal:read', () => {
    const row = incidentRow(CASE, false)
    expect(Object.keys(row)).not.toContain('reporterName')
    expect(Object.keys(row)).not.toContain('hotlineCaller')
  })

  it('routes a row without a loop from its category and point', () => {
    const { r } = reader({ category: '噪音扰民', description: 'd', lon: 106.6, lat: 29.6, reportedAt: '2025-01-01' })
    expect(incidentOfRow(r, lookup)?.owner).toMatchObject({ loop: 'grid', gridId: 'g-1', communityId: 'c-1' })
  })

  it('names the columns it cannot use', () => {
    const { r, problems } = reader({ category: 'nope', description: '', lon: 'x', lat: 29.6, reportedAt: 'soon', satisfied: 'maybe' })
    expect(incidentOfRow(r, lookup)).toBeNull()
    expect(problems).toEqual(['category:unknown_category', 'description:missing_value', 'lon:bad_value', 'reportedAt:bad_time', 'satisfied:bad_value'])
  })

  it('reads each history row back into its step', () => {
    const rows = historyRows(CASE)
    expect(rows.map(x => historyOfRow(reader(x).r)?.entry)).toEqual(CASE.history)
  })
})

describe('replaying an imported case', () => {
  it('makes two steps for a case without history, ending where it is', () => {
    const { history: _h, version: _v, ...inc } = CASE
    const made = synthesiseHistory(inc)
    expect(made.map(e => [e.action, e.from, e.to])).toEqual([['report', null, 'reported'], ['resolve', 'reported', 'resolved']])
    expect(historyProblems(inc, made)).toEqual([])
  })

  it('refuses a history that skips a state, runs backwards or ends elsewhere', () => {
    const bad = [step('2025-01-02T00:00:00.000Z', 'report', null, 'reported'), step('2025-01-01T00:00:00.000Z', 'resolve', 'handling', 'resolved')]
    expect(historyProblems({ state: 'closed' }, bad).map(p => p.en)).toEqual([
      'step 2 starts from "handling" but step 1 ended in "reported"',
      'step 2 is earlier than step 1',
      'the last step ends in "resolved" but the incident is "closed"',
    ])
  })

  it('commits versions 1..n, the last exactly the imported case, the earlier ones as they stood', () => {
    const { history, ...final } = CASE
    const steps = stepsOf(final, history)
    expect(steps.map(s => [s.incident.version, s.incident.state, s.incident.updatedAt])).toEqual([
      [1, 'reported', '2025-01-01T00:00:00.000Z'],
      [2, 'accepted', '2025-01-01T01:00:00.000Z'],
      [3, 'resolved', '2025-01-02T00:00:00.000Z'],
    ])
    expect(steps[0]!.incident.acceptedAt).toBeNull()
    expect(steps[1]!.incident.resolvedAt).toBeNull()
    expect(steps[2]!.incident).toEqual(final)
  })
})
