import type { Incident } from '../../../shared/incident/schema.ts'
import { describe, expect, it } from 'vitest'
import { clusterFeatures, wallClusters } from '../../../client/map/duplicates.ts'
import { incidentFeatures } from '../../../client/map/features.ts'
import { duplicateRules } from '../../../shared/incident/duplicates.ts'
import { LABELLED_CLUSTERS, LABELLED_REPORTS } from '../../fixtures/duplicates.ts'

// The wall draws one marker per cluster of open duplicates and none for their members or for merged reports.

const incidents = LABELLED_REPORTS.map((r): Incident => ({
  ...r,
  version: 1,
  title: r.note,
  description: r.note,
  severity: r.id.startsWith('A') ? 2 : 4,
  address: '',
  channel: 'grid_worker',
  reporterId: null,
  owner: { loop: 'grid', communityId: 'cm-gangcheng', gridId: 'g-gangcheng-03', sectorId: null, postId: null, helperSectorIds: [], assigneeId: null },
  updatedAt: r.reportedAt,
  acceptedAt: null,
  resolvedAt: null,
  stageDeadline: null,
  escalations: 0,
  reopenCount: 0,
  mergedInto: r.mergedInto ?? null,
  satisfied: null,
  labels: { category: r.category === 'waterlogging' ? '积水内涝' : undefined, grid: '港城社区第3网格' },
}))

describe('the wall\'s duplicate clusters', () => {
  const { clusters, clustered } = wallClusters(duplicateRules(), incidents, Date.parse('2026-06-01T00:00:00Z'), code => `name:${code}`)

  it('draws each labelled cluster as one marker named by its category and count', () => {
    expect(clusters.map(c => c.members.map(m => m.id))).toEqual(LABELLED_CLUSTERS)
    const a = clusters[0]!
    expect(a.label).toBe('积水内涝 ×5')
    expect(`${a.label} · ${a.place}`).toBe('积水内涝 ×5 · 港城社区第3网格')
    expect(a.severity).toBe(2)
    expect(clusters[1]!.label, 'a category without a stored label is named from the catalog').toBe('name:illegal_parking ×3')
  })

  it('leaves clustered members and merged reports out of the single markers', () => {
    const singles = incidentFeatures(incidents, Date.parse('2026-06-01T00:00:00Z'), clustered).features.map(f => f.properties.id)
    for (const id of LABELLED_CLUSTERS.flat()) expect(singles, id).not.toContain(id)
    expect(singles).not.toContain('E4')
    expect(singles).toContain('F2')
    expect(clusterFeatures(clusters).features.map(f => [f.properties.id, f.properties.count])).toEqual([['dup:A1', 5], ['dup:D1', 3], ['dup:C1', 2], ['dup:B1', 3], ['dup:E1', 3]])
  })
})
