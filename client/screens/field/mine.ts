import type { Incident, IncidentState, IncidentWithHistory } from '../../../shared/incident/schema.ts'

/** What a reporter is told about one of their reports: its own state, or — once merged — the state of the one it joined. */
export interface ReportOutcome {
  /** The state the reporter sees: the master's when the report was merged. */
  state: IncidentState
  /** The master's id when the report was merged into it. */
  via: string | null
  /** What was done (the resolve note of whichever incident carried the work), once there is one. */
  note: string | null
  /** When it was closed (or resolved), if it was. */
  at: string | null
}

/**
 * A merged report's work happens on its master: the reporter sees the master's state and result, not a bare
 * "merged". `master` is null while it is not loaded (or not readable): then the report's own state shows.
 */
export function outcomeOf(report: Incident, master: IncidentWithHistory | null): ReportOutcome {
  const carrier = report.state === 'merged' && master ? master : report
  const resolved = 'history' in carrier ? [...(carrier as IncidentWithHistory).history].reverse().find(e => e.action === 'resolve') : undefined
  return {
    state: carrier.state,
    via: carrier === report ? null : master!.id,
    note: resolved?.note ?? null,
    at: carrier.closedAt ?? carrier.resolvedAt,
  }
}
