import type { Incident } from '../../../shared/incident/schema.ts'
import { describe, expect, it } from 'vitest'
import { clusterFeatures, wallCluster, wallClusters } from '../../../client/map/duplicates.ts'
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
  // The wall's names in English (useNames): the catalog's name where it has the code, else the incident's own label.
  const english = (code: string, was?: string) => (code === 'waterlogging' ? 'Waterlogging' : was ?? `name:${code}`)
  const { clusters, clustered } = wallClusters(duplicateRules(), incidents, Date.parse('2026-06-01T00:00:00Z'), english)

  it('draws each labelled cluster as one marker named by its category, in the wall\'s language, and count', () => {
    expect(clusters.map(c => c.members.map(m => m.id))).toEqual(LABELLED_CLUSTERS)
    const a = clusters[0]!
    expect(a.label, 'the catalog\'s English name, not the Chinese label the incidents carry').toBe('Waterlogging ×5')
    expect(`${a.label} · ${a.place}`).toBe('Waterlogging ×5 · 港城社区第3网格')
    expect(a.severity).toBe(2)
    expect(clusters[1]!.label, 'a category without a stored label is named from the catalog').toBe('name:illegal_parking ×3')
  })

  it('names a cluster by the label its incidents carry when the catalog no longer has the category', () => {
    const gone = (code: string, was?: string) => was ?? code
    expect(wallCluster(clusters[0]!.members, Date.parse('2026-06-01T00:00:00Z'), gone).label).toBe('积水内涝 ×5')
  })

  it('leaves clustered members and merged reports out of the single markers', () => {
    const singles = incidentFeatures(incidents, Date.parse('2026-06-01T00:00:00Z'), clustered).features.map(f => f.properties.id)
    for (const id of LABELLED_CLUSTERS.flat()) expect(singles, id).not.toContain(id)
    expect(singles).not.toContain('E4')
    expect(singles).toContain('F2')
    expect(clusterFeatures(clusters).features.map(f => [f.properties.id, f.properties.count])).toEqual([['dup:A1', 5], ['dup:D1', 3], ['dup:C1', 2], ['dup:B1', 3], ['dup:E1', 3]])
  })
})
