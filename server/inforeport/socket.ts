import type { Change } from '../../shared/sync/schema.ts'
import type { IoServer } from '../realtime/index.ts'
import { PERMISSIONS } from '../../shared/auth/authz.ts'

/** The duty desks that draft and send reports (PERMISSIONS['inforeport:send']): their role rooms ring. */
const DESKS = PERMISSIONS['inforeport:send'].map(r => `role:${r}`)

/** After each durable commit: a report the clock drafted, or one past due, rings the duty desks. */
export function pushInfoReports(io: IoServer, changes: Change[]): void {
  for (const c of changes) {
    if (c.kind !== 'inforeport' || (c.action !== 'draft' && c.action !== 'overdue'))
      continue
    const r = c.data
    io.to(DESKS).emit('inforeport:due', { id: r.id, operationId: r.operationId, kind: r.kind, number: r.number, dueAt: r.dueAt, why: c.action === 'draft' ? 'drafted' : 'overdue' })
  }
}
