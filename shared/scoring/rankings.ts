import type { Catalog } from '../organisation/catalog.ts'
import type { ReferenceData } from '../territory/types.ts'
import type { ScoringConfig } from './config.ts'
import type { IncidentFacts } from './facts.ts'
import type { RankedWorker, Rankings, UnitRank, WorkerScore } from './schema.ts'
import { addMonths } from '../kernel/time.ts'
import { round2 } from './score.ts'

// Rankings of a month (grid workers, communities, 板块之星, 岗位之星, best grid worker candidates) and the change
// since the month before. Units equal on score share a rank and are listed by id; units without enough data
// (a post that closed 2 incidents) are listed after the ranked ones with rank null.

type Unit = Omit<UnitRank, 'rank' | 'star' | 'previousRank' | 'rankChange'>

/** Ranks units by score (higher first); ties share a rank (1, 2, 2, 4); unqualified units go last, unranked. */
export function rankUnits(units: Unit[], qualifies: (u: Unit) => boolean, previous: UnitRank[] | undefined): UnitRank[] {
  const byId = (a: Unit, b: Unit) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)
  const ranked = units.filter(u => qualifies(u) && u.score !== null).sort((a, b) => b.score! - a.score! || byId(a, b))
  const rest = units.filter(u => !ranked.includes(u)).sort(byId)
  const prev = new Map((previous ?? []).map(u => [u.id, u.rank]))
  const out: UnitRank[] = []
  ranked.forEach((u, i) => {
    const rank = i > 0 && ranked[i - 1]!.score === u.score ? out[i - 1]!.rank! : i + 1
    const previousRank = prev.get(u.id) ?? null
    out.push({ ...u, rank, star: rank === 1, previousRank, rankChange: previousRank === null ? null : previousRank - rank })
  })
  for (const u of rest)
    out.push({ ...u, rank: null, star: false, previousRank: prev.get(u.id) ?? null, rankChange: null })
  return out
}

/** Closed on time and satisfaction of the incidents a sector or post owned, scored like a worker's completion. */
function ownerUnits(facts: Iterable<IncidentFacts>, field: 'sectorId' | 'postId', names: Map<string, string>, cfg: ScoringConfig): Unit[] {
  const acc = new Map<string, { closed: number, onTime: number, overdue: number, feedback: number, satisfied: number }>()
  const get = (id: string | null) => {
    if (id === null || !names.has(id))
      return undefined
    let a = acc.get(id)
    if (!a)
      acc.set(id, a = { closed: 0, onTime: 0, overdue: 0, feedback: 0, satisfied: 0 })
    return a
  }
  for (const f of facts) {
    const closedBy = f.closed ? get(f.closed[field]) : undefined
    if (closedBy) {
      closedBy.closed++
      if (f.closed!.onTime)
        closedBy.onTime++
    }
    const owner = get(f.ownerAtEnd[field])
    if (owner && f.overdueAtEnd)
      owner.overdue++
    if (owner) {
      for (const fb of f.feedback) {
        owner.feedback++
        if (fb.satisfied)
          owner.satisfied++
      }
    }
  }
  const w = cfg.completion.weights
  return [...names].map(([id, name]) => {
    const a = acc.get(id) ?? { closed: 0, onTime: 0, overdue: 0, feedback: 0, satisfied: 0 }
    const parts: [number, number, number, string][] = [
      [w.onTime, a.onTime, a.closed + a.overdue, '按时办结'],
      [w.satisfaction, a.satisfied, a.feedback, '满意'],
    ]
    const used = parts.filter(p => p[2] > 0)
    const sum = used.reduce((s, p) => s + p[0], 0)
    const score = sum > 0 ? round2(100 * used.reduce((s, p) => s + (p[0] / sum) * (p[1] / p[2]), 0)) : null
    const formula = score === null
      ? '本月无办结 no closures'
      : `100 × (${used.map(p => `${(p[0] / sum).toFixed(3)}×${p[1]}/${p[2]} ${p[3]}`).join(' + ')}) = ${score.toFixed(2)}；办结 ${a.closed} 件，月末超时未办结 ${a.overdue} 件`
    return { id, name, score, formula, count: a.closed }
  })
}

function ranked(s: WorkerScore): RankedWorker {
  return {
    personId: s.personId,
    name: s.name,
    communityId: s.communityId,
    rank: s.rank,
    total: s.total,
    tier: s.tier,
    previousRank: s.previousRank,
    rankChange: s.rankChange,
    totalChange: s.totalChange,
  }
}

export interface RankingInput {
  month: string
  /** Ranked scores (scoreMonth); their previous-month fields are filled in here. */
  scores: WorkerScore[]
  facts: Iterable<IncidentFacts>
  reference: ReferenceData
  catalog: Catalog
  config: ScoringConfig
  frozen: boolean
  /** Last month's result, when there is one. */
  previous: { scores: WorkerScore[], rankings: Rankings } | null
}

export function buildRankings(r: RankingInput): Rankings {
  const prev = new Map((r.previous?.scores ?? []).map(s => [s.personId, s]))
  for (const s of r.scores) {
    const p = prev.get(s.personId)
    s.previousRank = p?.rank ?? null
    s.previousTotal = p?.total ?? null
    s.rankChange = p ? p.rank - s.rank : null
    s.totalChange = p ? round2(s.total - p.total) : null
  }
  const communities: Unit[] = r.reference.territory.communities.map((c) => {
    const mine = r.scores.filter(s => s.communityId === c.id)
    const sum = mine.reduce((t, s) => t + s.total, 0)
    const score = mine.length > 0 ? round2(sum / mine.length) : null
    return { id: c.id, name: c.name, score, count: mine.length, formula: score === null ? '无网格员 no grid workers' : `${mine.length} 名网格员总分平均 mean of totals = ${round2(sum).toFixed(2)} / ${mine.length} = ${score.toFixed(2)}` }
  })
  const facts = [...r.facts]
  const sectors = ownerUnits(facts, 'sectorId', new Map(r.catalog.sectors.map(s => [s.id as string, s.name])), r.config)
  const posts = ownerUnits(facts, 'postId', new Map(r.catalog.posts.map(p => [p.id, p.name])), r.config)
  const enough = (u: Unit) => u.count >= r.config.rankings.minClosedForStar
  const top = r.config.tiers[0]?.key
  return {
    month: r.month,
    previousMonth: addMonths(r.month, -1),
    frozen: r.frozen,
    gridWorkers: r.scores.map(ranked),
    communities: rankUnits(communities, u => u.count > 0, r.previous?.rankings.communities),
    sectors: rankUnits(sectors, enough, r.previous?.rankings.sectors),
    posts: rankUnits(posts, enough, r.previous?.rankings.posts),
    bestCandidates: r.scores.filter(s => s.tier.key === top && s.rank <= r.config.rankings.bestCandidates).map(ranked),
    tierCounts: r.config.tiers.map(t => ({ key: t.key, name: t.name, count: r.scores.filter(s => s.tier.key === t.key).length })),
  }
}
