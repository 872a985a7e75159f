import type { Static } from 'typebox'
import { Type } from 'typebox'
import { LngLatT } from '../incident/schema.ts'

// The horse race (赛马比拼) contract: monthly scores with every input and the arithmetic behind them,
// rankings, patrol check-ins, the volunteers' points ledger and the monthly report's headline figures.

const Count = Type.Integer({ minimum: 0 })
const Ratio = Type.Union([Type.Number({ minimum: 0, maximum: 1 }), Type.Null()], { description: '0…1; null = no data' })
const Score = Type.Union([Type.Number({ minimum: 0, maximum: 100 }), Type.Null()], { description: '0…100; null = no data' })
export const MonthT = Type.String({ pattern: '^\\d{4}-(0[1-9]|1[0-2])$', description: 'YYYY-MM, a Chongqing (Asia/Shanghai) calendar month' })
export const MonthQuery = Type.Object({ month: Type.Optional(MonthT) })

/** One input of a dimension: a ratio (numerator ÷ denominator, capped at 1) and its weight. */
export const ScorePart = Type.Object({
  key: Type.String(),
  label: Type.String(),
  numerator: Type.Number(),
  denominator: Type.Number(),
  /** numerator ÷ denominator, capped at 1; null when the denominator is 0 (no data: its weight moves to the others). */
  value: Ratio,
  weight: Type.Number(),
  /** The weight after renormalising over the parts with data. */
  effectiveWeight: Type.Number(),
  note: Type.String(),
})
export type ScorePart = Static<typeof ScorePart>

export const DimensionKey = Type.Union([Type.Literal('completeness'), Type.Literal('activity'), Type.Literal('completion')])
export type DimensionKey = Static<typeof DimensionKey>

export const Dimension = Type.Object({
  key: DimensionKey,
  label: Type.String(),
  weight: Type.Number(),
  effectiveWeight: Type.Number(),
  /** 100 × Σ effectiveWeight × value over its parts, rounded to 2 decimals; null when no part has data. */
  score: Score,
  parts: Type.Array(ScorePart),
  /** The arithmetic, written out: "100 × (0.7×0.950 + 0.3×0.800) = 90.50". */
  formula: Type.String(),
})
export type Dimension = Static<typeof Dimension>

/** Raw counts a worker's score is computed from: all recorded by the system, none typed in. */
export const WorkerInputs = Type.Object({
  reports: Count,
  reportFieldsChecked: Count,
  reportFieldsFilled: Count,
  updates: Count,
  updatesWithNote: Count,
  profileItems: Count,
  profileItemsFilled: Count,
  profileMissing: Type.Array(Type.String()),
  patrols: Count,
  activeDays: Count,
  closed: Count,
  closedOnTime: Count,
  overdueOpenAtMonthEnd: Count,
  feedback: Count,
  satisfied: Count,
})
export type WorkerInputs = Static<typeof WorkerInputs>

export const TierT = Type.Object({ key: Type.String(), name: Type.String(), nameEn: Type.String() })

export const WorkerScore = Type.Object({
  personId: Type.String(),
  name: Type.String(),
  communityId: Type.Union([Type.String(), Type.Null()]),
  gridIds: Type.Array(Type.String()),
  inputs: WorkerInputs,
  dimensions: Type.Array(Dimension),
  total: Type.Number({ minimum: 0, maximum: 100 }),
  formula: Type.String(),
  tier: TierT,
  /** Standard competition ranking (1, 2, 2, 4) after the documented tie-breaks. */
  rank: Type.Integer({ minimum: 1 }),
  previousRank: Type.Union([Type.Integer({ minimum: 1 }), Type.Null()]),
  previousTotal: Type.Union([Type.Number(), Type.Null()]),
  /** previousRank − rank: positive means moved up. Null when not ranked last month. */
  rankChange: Type.Union([Type.Integer(), Type.Null()]),
  totalChange: Type.Union([Type.Number(), Type.Null()]),
})
export type WorkerScore = Static<typeof WorkerScore>

/** A ranked unit other than a person: a community, a sector (板块) or a post (岗位). */
export const UnitRank = Type.Object({
  id: Type.String(),
  name: Type.String(),
  /** Null when the unit did not qualify (too few closed incidents); then it is listed after the ranked ones. */
  rank: Type.Union([Type.Integer({ minimum: 1 }), Type.Null()]),
  score: Score,
  /** What the score is made of, in words and numbers. */
  formula: Type.String(),
  /** Communities: grid workers scored; sectors and posts: incidents closed in the month. */
  count: Count,
  /** Top of its ranking: 板块之星 / 岗位之星 / best community. */
  star: Type.Boolean(),
  previousRank: Type.Union([Type.Integer({ minimum: 1 }), Type.Null()]),
  rankChange: Type.Union([Type.Integer(), Type.Null()]),
})
export type UnitRank = Static<typeof UnitRank>

export const RankedWorker = Type.Object({
  personId: Type.String(),
  name: Type.String(),
  communityId: Type.Union([Type.String(), Type.Null()]),
  rank: Type.Integer({ minimum: 1 }),
  total: Type.Number(),
  tier: TierT,
  previousRank: Type.Union([Type.Integer({ minimum: 1 }), Type.Null()]),
  rankChange: Type.Union([Type.Integer(), Type.Null()]),
  totalChange: Type.Union([Type.Number(), Type.Null()]),
})
export type RankedWorker = Static<typeof RankedWorker>

export const Rankings = Type.Object({
  month: MonthT,
  previousMonth: MonthT,
  frozen: Type.Boolean(),
  /** Grid workers, best first. */
  gridWorkers: Type.Array(RankedWorker),
  communities: Type.Array(UnitRank),
  /** 板块之星: the top sector(s) carry star = true. */
  sectors: Type.Array(UnitRank),
  /** 岗位之星. */
  posts: Type.Array(UnitRank),
  /** 最佳网格员 candidates: top `bestCandidates` in the top tier, ties at the cut included. */
  bestCandidates: Type.Array(RankedWorker),
  tierCounts: Type.Array(Type.Object({ key: Type.String(), name: Type.String(), count: Count })),
})
export type Rankings = Static<typeof Rankings>

export const MonthStatus = Type.Object({
  month: MonthT,
  from: Type.String({ format: 'date-time' }),
  to: Type.String({ format: 'date-time' }),
  /** Frozen: scored after the month ended; later data never changes it. */
  frozen: Type.Boolean(),
  frozenAt: Type.Union([Type.String(), Type.Null()]),
  computedAt: Type.String({ format: 'date-time' }),
  configVersion: Type.String(),
})
export type MonthStatus = Static<typeof MonthStatus>

export const MonthScores = Type.Object({ ...MonthStatus.properties, scores: Type.Array(WorkerScore) })
export type MonthScores = Static<typeof MonthScores>

export const MyScore = Type.Object({ ...MonthStatus.properties, score: WorkerScore, of: Count })
export type MyScore = Static<typeof MyScore>

/** A headline figure of the monthly report, with how it was computed. */
export const HeadlineFigure = Type.Object({
  key: Type.String(),
  label: Type.String(),
  /** Null when the system does not record what the figure needs (never a guess). */
  value: Type.Union([Type.Number(), Type.Null()]),
  unit: Type.String(),
  /** For year-on-year figures: the same month a year earlier and the relative change (−0.322 = −32.2%). */
  lastYear: Type.Optional(Type.Union([Type.Number(), Type.Null()])),
  change: Type.Optional(Type.Union([Type.Number(), Type.Null()])),
  definition: Type.String(),
})
export type HeadlineFigure = Static<typeof HeadlineFigure>

export const Headline = Type.Object({ month: MonthT, figures: Type.Array(HeadlineFigure) })
export type Headline = Static<typeof Headline>

/** The frozen (or live) record of a month: scores, rankings and headline figures, with the config used. */
export const MonthResult = Type.Object({
  ...MonthStatus.properties,
  scores: Type.Array(WorkerScore),
  rankings: Rankings,
  headline: Type.Array(HeadlineFigure),
  config: Type.Unknown(),
})
export type MonthResult = Static<typeof MonthResult>

export const PatrolBody = Type.Object({
  location: LngLatT,
  note: Type.Optional(Type.String({ maxLength: 500 })),
  /** When the check-in happened, for one sent late from an offline phone; at most 7 days back, never ahead. */
  at: Type.Optional(Type.String({ format: 'date-time' })),
}, { additionalProperties: false })
export type PatrolBody = Static<typeof PatrolBody>

export const Patrol = Type.Object({
  id: Type.String(),
  personId: Type.String(),
  gridId: Type.String(),
  at: Type.String({ format: 'date-time' }),
  location: LngLatT,
  note: Type.Union([Type.String(), Type.Null()]),
  device: Type.Union([Type.String(), Type.Null()]),
  recordedAt: Type.String({ format: 'date-time' }),
})
export type Patrol = Static<typeof Patrol>

export const LedgerKind = Type.Union([Type.Literal('earn'), Type.Literal('redeem')])
export type LedgerKind = Static<typeof LedgerKind>

export const LedgerEntry = Type.Object({
  seq: Type.Integer({ minimum: 1 }),
  opId: Type.String(),
  personId: Type.String(),
  kind: LedgerKind,
  points: Type.Integer({ minimum: 1 }),
  balanceAfter: Type.Integer({ minimum: 0 }),
  reason: Type.String(),
  ref: Type.Union([Type.String(), Type.Null()]),
  actorId: Type.String(),
  at: Type.String({ format: 'date-time' }),
})
export type LedgerEntry = Static<typeof LedgerEntry>

const OpId = Type.String({ minLength: 8, maxLength: 100, pattern: '^[A-Za-z0-9._:-]+$', description: 'client operation id: a retry with the same id is answered with the first result' })
export const AwardBody = Type.Object({
  opId: OpId,
  personId: Type.String({ minLength: 1, maxLength: 64 }),
  points: Type.Integer({ minimum: 1, maximum: 1000 }),
  reason: Type.String({ minLength: 2, maxLength: 200, description: 'the task or activity, e.g. 防汛值守 4 小时' }),
  ref: Type.Optional(Type.String({ maxLength: 100, description: 'incident id or activity id' })),
}, { additionalProperties: false })
export type AwardBody = Static<typeof AwardBody>

export const RedeemBody = Type.Object({
  opId: OpId,
  personId: Type.String({ minLength: 1, maxLength: 64 }),
  points: Type.Integer({ minimum: 1, maximum: 100_000 }),
  reason: Type.String({ minLength: 2, maxLength: 200, description: 'the reward, e.g. 爱心超市兑换 大米 5kg' }),
}, { additionalProperties: false })
export type RedeemBody = Static<typeof RedeemBody>

export const PointsAccount = Type.Object({
  personId: Type.String(),
  name: Type.String(),
  communityId: Type.Union([Type.String(), Type.Null()]),
  balance: Count,
  earned: Count,
  redeemed: Count,
  /** 先锋指数: points earned in the month asked for (redeeming does not lower it). */
  pioneerIndex: Count,
})
export type PointsAccount = Static<typeof PointsAccount>

export const PointsHistory = Type.Object({ ...PointsAccount.properties, entries: Type.Array(LedgerEntry) })
export type PointsHistory = Static<typeof PointsHistory>

export const PointsBoard = Type.Object({ month: MonthT, accounts: Type.Array(PointsAccount) })
export type PointsBoard = Static<typeof PointsBoard>

const Weight = Type.Number({ minimum: 0, maximum: 1 })
const Target = Type.Integer({ minimum: 1, maximum: 10_000 })
const closed = { additionalProperties: false } as const

/** The horse race's rules as the console edits them (shared/scoring/config.ts says what each means). */
export const ScoringConfigT = Type.Object({
  version: Type.String({ minLength: 1, maxLength: 40 }),
  weights: Type.Object({ completeness: Weight, activity: Weight, completion: Weight }, closed),
  completeness: Type.Object({
    weights: Type.Object({ records: Weight, profile: Weight }, closed),
    reportFields: Type.Array(Type.Union([Type.Literal('category'), Type.Literal('location'), Type.Literal('description'), Type.Literal('address'), Type.Literal('photo')]), { maxItems: 5 }),
    minDescriptionChars: Type.Integer({ minimum: 0, maximum: 1000 }),
    minNoteChars: Type.Integer({ minimum: 0, maximum: 1000 }),
    updateActions: Type.Array(Type.String({ maxLength: 30 }), { maxItems: 20 }),
  }, closed),
  activity: Type.Object({
    weights: Type.Object({ patrols: Weight, reports: Weight, activeDays: Weight }, closed),
    targets: Type.Object({ patrols: Target, reports: Target, activeDays: Type.Integer({ minimum: 1, maximum: 31 }) }, closed),
  }, closed),
  completion: Type.Object({
    weights: Type.Object({ onTime: Weight, satisfaction: Weight }, closed),
    loops: Type.Array(Type.Union([Type.Literal('grid'), Type.Literal('community'), Type.Literal('subdistrict')]), { maxItems: 3 }),
  }, closed),
  tiers: Type.Array(Type.Object({
    key: Type.String({ minLength: 1, maxLength: 30 }),
    name: Type.String({ minLength: 1, maxLength: 20 }),
    nameEn: Type.String({ maxLength: 40 }),
    min: Type.Number({ minimum: 0, maximum: 100 }),
  }, closed), { minItems: 1, maxItems: 10 }),
  rankings: Type.Object({ bestCandidates: Type.Integer({ minimum: 0, maximum: 100 }), minClosedForStar: Type.Integer({ minimum: 0, maximum: 1000 }) }, closed),
}, closed)
