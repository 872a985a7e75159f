import type { HistoryEntry, Incident, IncidentState } from '../../../shared/incident/schema.ts'
import type { IncidentRecord } from '../../../shared/scoring/facts.ts'
import type { ForceKind, ReferenceData } from '../../../shared/territory/types.ts'
import { CUNTAN_FORCE_KINDS } from '../../../server/territory/cuntan/vocab.ts'

// Small, hand-written territory and histories for the scoring tests: every number in them is chosen so the
// expected score can be worked out on paper.

const square = (x: number, y: number) => [[[x, y], [x + 0.01, y], [x + 0.01, y + 0.01], [x, y + 0.01], [x, y]]]

/** Two communities, three grids (g1, g2 in c1; g3 in c2), workers w1–w3, one instructor, one leader. */
export function miniReference(opts: { missingLiaisons?: ForceKind[] } = {}): ReferenceData {
  const liaisons = CUNTAN_FORCE_KINDS.map(k => k.id).filter(k => !(opts.missingLiaisons ?? []).includes(k)).map(kind => ({ kind, personId: 'f1' }))
  const grid = (id: string, communityId: string, x: number) => ({ id, communityId, name: `网格${id}`, polygon: square(x, 29.6), center: { lon: x + 0.005, lat: 29.605 }, riskTags: [], households: 300 })
  return {
    territory: {
      subdistrict: { id: 'sd', name: '寸滩街道', nameEn: 'Cuntan', code: '500105', center: { lon: 106.6, lat: 29.6 }, wallTitle: '', wallTitleEn: '', capAreaCodes: [], capAreaNames: [] },
      communities: [
        { id: 'c1', name: '兰溪社区', nameEn: 'Lanxi', polygon: square(106.6, 29.6), center: { lon: 106.61, lat: 29.61 } },
        { id: 'c2', name: '寸滩社区', nameEn: 'Cuntan', polygon: square(106.7, 29.6), center: { lon: 106.71, lat: 29.61 } },
      ],
      grids: [grid('g1', 'c1', 106.60), grid('g2', 'c1', 106.62), grid('g3', 'c2', 106.70)],
    },
    org: {
      sectors: [],
      posts: [],
      people: [
        { id: 'w1', name: '张一', roles: ['grid_worker'], title: '专职网格员', communityId: 'c1' },
        { id: 'w2', name: '李二', roles: ['grid_worker'], title: '专职网格员', communityId: 'c1' },
        { id: 'w3', name: '王三', roles: ['grid_worker'], title: '专职网格员', communityId: 'c2' },
        { id: 'i1', name: '赵指导', roles: ['community_staff'], title: '网格指导员' },
        { id: 'l1', name: '钱领导', roles: ['leader'], title: '包联领导' },
        { id: 'f1', name: '孙力量', roles: ['force_member'], title: '志愿者', forceKind: 'volunteer' },
        { id: 'v2', name: '周志愿', roles: ['force_member'], title: '志愿者', forceKind: 'volunteer' },
      ],
      rosters: ['g1', 'g2', 'g3'].map((gridId, i) => ({ gridId, workerId: `w${i + 1}`, instructorId: 'i1', contactLeaderId: 'l1', liaisons })),
      forceKinds: CUNTAN_FORCE_KINDS,
      forceUnits: [],
    },
    facilities: {
      depots: [],
      stations: ['g1', 'g2', 'g3'].map(gridId => ({ id: `st-${gridId}`, name: '驿站', gridId, location: { lon: 106.6, lat: 29.6 } })),
      riskPoints: [],
      shelters: [],
      riskTags: [],
      riskPointKinds: [],
      resourceKinds: [],
    },
  }
}

export interface Step { at: string, action: HistoryEntry['action'], by: string, to: IncidentState, note?: string, data?: Record<string, unknown> }

/** An incident in `gridId` with the given history (the first step is the report). */
export function record(id: string, gridId: string | null, steps: Step[], over: Partial<Incident> = {}): IncidentRecord {
  const history: HistoryEntry[] = steps.map((s, i) => ({
    at: s.at,
    action: s.action,
    actor: { personId: s.by, role: s.by.startsWith('w') ? 'grid_worker' : 'operator' },
    from: i === 0 ? null : steps[i - 1]!.to,
    to: s.to,
    ...(s.note ? { note: s.note } : {}),
    ...(s.data ? { data: s.data } : {}),
  }))
  const last = steps[steps.length - 1]!
  const incident: Incident = {
    id,
    version: steps.length,
    category: 'garbage',
    title: '垃圾乱堆',
    description: '小区门口垃圾堆放多日无人清理',
    severity: 4,
    location: { lon: 106.605, lat: 29.605 },
    address: '兰溪社区 网格g1',
    channel: 'grid_worker',
    reporterId: steps[0]!.by,
    state: last.to,
    owner: { loop: 'grid', communityId: 'c1', gridId, sectorId: null, postId: null, helperSectorIds: [], assigneeId: null },
    reportedAt: steps[0]!.at,
    updatedAt: last.at,
    acceptedAt: null,
    resolvedAt: null,
    closedAt: last.to === 'closed' ? last.at : null,
    stageDeadline: null,
    escalations: 0,
    reopenCount: 0,
    mergedInto: null,
    satisfied: null,
    ...over,
  }
  return { incident, history }
}

/**
 * A full closed loop for a `garbage` incident (LOW deadlines: report→accept 120 min, accept→assign 240,
 * assign→start 1440, handling 7200, resolved 2880, verified 4320), every step one hour after the last.
 * `late` makes the handling stage take 6 days (over its 5-day allowance).
 */
export function closedLoop(id: string, gridId: string, reporter: string, start: string, opts: { late?: boolean, satisfied?: boolean, resolveNote?: string, feedbackNote?: string, over?: Partial<Incident> } = {}): IncidentRecord {
  const t0 = Date.parse(start)
  const h = (n: number) => new Date(t0 + n * 3_600_000).toISOString()
  const handled = opts.late ? 6 * 24 + 3 : 4
  const satisfied = opts.satisfied ?? true
  return record(id, gridId, [
    { at: h(0), action: 'report', by: reporter, to: 'reported' },
    { at: h(1), action: 'accept', by: 'w1', to: 'accepted' },
    { at: h(2), action: 'assign', by: 'w1', to: 'assigned', data: { sectorId: null, postId: null, assigneeId: 'w1' } },
    { at: h(3), action: 'start', by: 'w1', to: 'handling' },
    { at: h(handled), action: 'resolve', by: 'w1', to: 'resolved', note: opts.resolveNote ?? '已清理完毕' },
    { at: h(handled + 1), action: 'verify', by: 'w1', to: 'verified' },
    { at: h(handled + 2), action: 'feedback', by: 'w1', to: satisfied ? 'closed' : 'assigned', note: opts.feedbackNote ?? '回访群众满意', data: { satisfied } },
  ], opts.over)
}
