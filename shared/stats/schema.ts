import type { Static } from 'typebox'
import { Type } from 'typebox'

// The wall's statistics: what the panels need that the snapshot does not carry. Computed by the server
// from the store; days and months are calendar days in Chongqing (Asia/Shanghai, UTC+8, no DST).

const Count = Type.Integer({ minimum: 0 })
const Share = Type.Union([Type.Number({ minimum: 0, maximum: 1 }), Type.Null()], { description: '0…1, null when there is nothing to divide by' })
const Minutes = Type.Union([Type.Number({ minimum: 0 }), Type.Null()], { description: 'mean minutes, null when nothing was measured' })

export const TodayFigures = Type.Object({
  /** Reported since local midnight. */
  reported: Count,
  /** Accepted since local midnight. */
  accepted: Count,
  /** Not finished, right now. */
  open: Count,
  /** Accepted and not finished, right now (在办). */
  inProgress: Count,
  /** Not finished and past the current stage's deadline, right now. */
  overdue: Count,
  /** Closed since local midnight. */
  closed: Count,
})
export type TodayFigures = Static<typeof TodayFigures>

export const PeriodFigures = Type.Object({
  days: Count,
  reported: Count,
  closed: Count,
  /** Closed ÷ reported, less those rejected or merged as duplicates. */
  closureRate: Share,
  avgAcceptMinutes: Minutes,
  avgResolveMinutes: Minutes,
})
export type PeriodFigures = Static<typeof PeriodFigures>

/** Where closed incidents were closed: 小事不出网格，大事不出社区，难事不出街道. */
export const LoopShares = Type.Object({
  closed: Count,
  grid: Share,
  community: Share,
  subdistrict: Share,
})
export type LoopShares = Static<typeof LoopShares>

export const SectorLoad = Type.Object({
  /** null: owned by a grid or community (grid tasks, community tasks), no sector. */
  sectorId: Type.Union([Type.String(), Type.Null()]),
  open: Count,
  overdue: Count,
})
export type SectorLoad = Static<typeof SectorLoad>

export const CategoryCount = Type.Object({ code: Type.String(), count: Count })
export type CategoryCount = Static<typeof CategoryCount>

export const TrendPoint = Type.Object({
  /** Bucket start: an ISO instant for hours, a YYYY-MM-DD local day for days. */
  at: Type.String(),
  reported: Count,
  closed: Count,
})
export type TrendPoint = Static<typeof TrendPoint>

export const YearOnYear = Type.Object({
  code: Type.String(),
  /** The latest full local month, YYYY-MM. */
  month: Type.String(),
  count: Count,
  lastYearMonth: Type.String(),
  lastYear: Count,
  /** (count − lastYear) ÷ lastYear; null when last year had none. */
  change: Type.Union([Type.Number(), Type.Null()]),
})
export type YearOnYear = Static<typeof YearOnYear>

export const ForceAvailability = Type.Object({
  kind: Type.String(),
  units: Count,
  total: Count,
  /** Members assigned to an unfinished incident. */
  busy: Count,
  available: Count,
})
export type ForceAvailability = Static<typeof ForceAvailability>

export const StatsResponse = Type.Object({
  /** When these figures were computed. */
  at: Type.String({ format: 'date-time' }),
  /** Today's local date, YYYY-MM-DD. */
  day: Type.String(),
  today: TodayFigures,
  period: PeriodFigures,
  loops: LoopShares,
  sectorLoad: Type.Array(SectorLoad),
  categories: Type.Array(CategoryCount),
  /** 24 hourly buckets, oldest first, the last one holding the current hour. */
  hourly: Type.Array(TrendPoint),
  /** 30 daily buckets, oldest first, the last one being today. */
  daily: Type.Array(TrendPoint),
  yoy: Type.Array(YearOnYear),
  forces: Type.Array(ForceAvailability),
})
export type StatsResponse = Static<typeof StatsResponse>
