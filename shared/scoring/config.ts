import type { Loop } from '../territory/types.ts'

// How the monthly horse race (赛马比拼) is scored: weights, targets and tiers are data, not code. The frozen
// record of a month keeps the config it was scored with, so a later change of weights never rewrites history.

export interface TierRule {
  /** Stable key stored with scores. */
  key: string
  name: string
  nameEn: string
  /** Lowest total (0–100) that earns this tier, inclusive: a total exactly on the line is in the higher tier. */
  min: number
}

/** What a report is checked for: a known category, a place inside the territory, a description, an address, a photo. */
export type ReportField = 'category' | 'location' | 'description' | 'address' | 'photo'
export const REPORT_FIELD_LABELS: Record<ReportField, string> = { category: '类别', location: '位置', description: '描述', address: '地址', photo: '照片' }

export interface ScoringConfig {
  /** Bumped whenever any value changes; stored with every frozen month. */
  version: string
  /** Dimension weights; need not sum to 1 (they are normalised over the dimensions that have data). */
  weights: { completeness: number, activity: number, completion: number }
  completeness: {
    /** Within the dimension: the worker's own records vs their grids' profile data. */
    weights: { records: number, profile: number }
    /** The fields every report by the worker is checked for. */
    reportFields: ReportField[]
    /** A report's description counts as filled from this many characters. */
    minDescriptionChars: number
    /** A task update's note counts as written from this many characters. */
    minNoteChars: number
    /** Actions whose record is a written account (the lifecycle requires a note on most of them). */
    updateActions: string[]
  }
  activity: {
    weights: { patrols: number, reports: number, activeDays: number }
    /** Monthly targets: reaching one scores full marks for that part; more does not score more. */
    targets: { patrols: number, reports: number, activeDays: number }
  }
  completion: {
    weights: { onTime: number, satisfaction: number }
    /** Incidents of categories whose lowest loop is one of these count towards a grid worker's completion. */
    loops: Loop[]
  }
  /** Highest first. A total below every `min` gets the last tier. */
  tiers: TierRule[]
  rankings: {
    /** Best grid worker candidates: this many from the top (ties at the cut all included), top tier only. */
    bestCandidates: number
    /** Sectors and posts need this many closed incidents in the month to be ranked (a 1-of-1 post is no star). */
    minClosedForStar: number
  }
}

export const DEFAULT_SCORING_CONFIG: ScoringConfig = {
  version: '2026.2',
  weights: { completeness: 0.3, activity: 0.3, completion: 0.4 },
  completeness: {
    weights: { records: 0.7, profile: 0.3 },
    reportFields: ['category', 'location', 'description', 'address', 'photo'],
    minDescriptionChars: 10,
    minNoteChars: 4,
    updateActions: ['resolve', 'feedback', 'return', 'transfer', 'escalate'],
  },
  activity: {
    weights: { patrols: 0.4, reports: 0.3, activeDays: 0.3 },
    targets: { patrols: 40, reports: 3, activeDays: 20 },
  },
  completion: {
    weights: { onTime: 0.7, satisfaction: 0.3 },
    loops: ['grid', 'community'],
  },
  tiers: [
    { key: 'excellent', name: '优秀', nameEn: 'Excellent', min: 90 },
    { key: 'good', name: '良好', nameEn: 'Good', min: 80 },
    { key: 'pass', name: '合格', nameEn: 'Pass', min: 60 },
    { key: 'fail', name: '不合格', nameEn: 'Fail', min: 0 },
  ],
  rankings: { bestCandidates: 3, minClosedForStar: 5 },
}

/** Problems that would make a score meaningless. Empty = valid. */
export function validateScoringConfig(c: ScoringConfig): string[] {
  const problems: string[] = []
  const nonNegative = (name: string, w: Record<string, number>) => {
    for (const [k, v] of Object.entries(w)) {
      if (!(Number.isFinite(v) && v >= 0))
        problems.push(`${name}.${k} must be a non-negative number`)
    }
    if (Object.values(w).every(v => v === 0))
      problems.push(`${name}: at least one weight must be positive`)
  }
  nonNegative('weights', c.weights)
  nonNegative('completeness.weights', c.completeness.weights)
  nonNegative('activity.weights', c.activity.weights)
  nonNegative('completion.weights', c.completion.weights)
  for (const [k, v] of Object.entries(c.activity.targets)) {
    if (!(Number.isFinite(v) && v > 0))
      problems.push(`activity.targets.${k} must be positive`)
  }
  if (c.tiers.length === 0)
    problems.push('tiers: at least one tier')
  c.tiers.forEach((t, i) => {
    const next = c.tiers[i + 1]
    if (next && !(next.min < t.min))
      problems.push(`tiers: ${t.key} (min ${t.min}) must be above ${next.key} (min ${next.min})`)
  })
  if (new Set(c.tiers.map(t => t.key)).size !== c.tiers.length)
    problems.push('tiers: duplicate key')
  if (!(Number.isInteger(c.rankings.bestCandidates) && c.rankings.bestCandidates >= 0))
    problems.push('rankings.bestCandidates must be a non-negative integer')
  return problems
}

/** The tier of a total: the first (highest) tier whose `min` the total reaches, else the last one. */
export function tierOf(total: number, tiers: readonly TierRule[]): TierRule {
  return tiers.find(t => total >= t.min) ?? tiers[tiers.length - 1]!
}
