import type { Change } from '../sync/schema.ts'
import type { Incident } from './schema.ts'

// Personal data (reporters' names and phone numbers) goes only to roles that work the case;
// the wall, leaders and share links get what they show.

export function redactIncident<T extends Incident>(inc: T): T {
  if (inc.reporterName === undefined && inc.reporterPhone === undefined)
    return inc
  const { reporterName: _n, reporterPhone: _p, ...rest } = inc
  return rest as T
}

export function redactChange(c: Change): Change {
  return c.kind === 'incident' ? { ...c, data: redactIncident(c.data) } : c
}
