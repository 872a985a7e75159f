import type { Change } from '../sync/schema.ts'
import type { Incident } from './schema.ts'

// Personal data (reporters' names and phone numbers) goes only to roles that work the case;
// the wall, leaders and share links get what they show.

export function redactIncident<T extends Incident>(inc: T): T {
  const hotline = inc.hotline
  const callerKnown = hotline !== undefined && (hotline.caller !== undefined || hotline.callerPhone !== undefined)
  if (inc.reporterName === undefined && inc.reporterPhone === undefined && !callerKnown)
    return inc
  const { reporterName: _n, reporterPhone: _p, ...rest } = inc
  if (hotline && callerKnown) {
    // A 12345 order's caller is the reporter under another name: personal data all the same.
    const { caller: _c, callerPhone: _cp, ...order } = hotline
    return { ...rest, hotline: order } as unknown as T
  }
  return rest as T
}

export function redactChange(c: Change): Change {
  return c.kind === 'incident' ? { ...c, data: redactIncident(c.data) } : c
}
