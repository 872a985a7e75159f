// The deadlines of the prescribed emergency information reports (突发事件信息报送) a subdistrict owes the district,
// as data. The defaults follow common practice in Chinese local regulations: the first report (初报) within 30
// minutes of the event (国务院办公厅关于进一步加强突发事件信息报送工作的通知: 30 分钟内电话报告、1 小时内书面报告,
// which subdistricts meet with a written 初报 in 30 minutes), a follow-up (续报) every 2 hours while the response
// lasts, and the final report (终报) within 24 hours of the response ending. A package overrides any of them
// (`inforeports.json`), for every plan or for one plan (a level-I plan may ask for a 续报 every hour).

export interface InfoReportTimes {
  /** 初报: due this many minutes after wartime is declared. */
  initialMinutes: number
  /** 续报: due this many minutes after the previous report was sent (the sender may choose another interval). */
  followUpMinutes: number
  /** 终报: due this many minutes after the operation ends. */
  finalMinutes: number
  /** 初报 and 续报 are drafted this many minutes before they are due, so the desk has time to check and sign. */
  leadMinutes: number
}

export interface InfoReportSettings extends Partial<InfoReportTimes> {
  /** Per plan id: what differs for an operation under that plan. */
  plans?: Record<string, Partial<InfoReportTimes>>
}

export const DEFAULT_INFOREPORT_TIMES: InfoReportTimes = { initialMinutes: 30, followUpMinutes: 120, finalMinutes: 24 * 60, leadMinutes: 10 }

/** The deadlines in force for an operation: the defaults, then the package's, then the package's for its plan. */
export function reportTimes(settings: InfoReportSettings | undefined, planId: string | null): InfoReportTimes {
  const { plans, ...all } = settings ?? {}
  const forPlan = planId ? plans?.[planId] : undefined
  return { ...DEFAULT_INFOREPORT_TIMES, ...all, ...forPlan }
}

/** A chosen 续报 interval is kept within these bounds (minutes). */
export const FOLLOW_UP_BOUNDS = { min: 10, max: 24 * 60 } as const
