import type { Principal } from '../../../shared/auth/authz.ts'
import type { ActionBody, Incident, ReportBody } from '../../../shared/incident/schema.ts'
import type { TestApp } from '../../helpers/app.ts'
import { INTERNAL } from '../../../server/audit/service.ts'
import { principalFor } from '../../../shared/auth/authz.ts'

/** A multipart body with one part named `file`. */
export function multipart(data: Buffer, filename: string) {
  const boundary = `----cases${Math.random().toString(16).slice(2)}`
  const head = Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\nContent-Type: application/octet-stream\r\n\r\n`)
  return { payload: Buffer.concat([head, data, Buffer.from(`\r\n--${boundary}--\r\n`)]), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } }
}

export async function upload(t: TestApp, user: string, data: Buffer, filename: string, dryRun = false) {
  const body = multipart(data, filename)
  return t.app.inject({ method: 'POST', url: `/api/cases/import${dryRun ? '?dryRun=1' : ''}`, payload: body.payload, headers: { ...await t.as(user), ...body.headers } })
}

/** Reports a case as the duty operator and takes it through `steps`, each as the operator. */
export async function caseThrough(t: TestApp, body: ReportBody, steps: ActionBody[]): Promise<Incident> {
  const operator: Principal = principalFor(t.ctx.reference, 'op-01', ['operator'])
  const call = { principal: operator, origin: INTERNAL }
  const made = await t.ctx.incidents.report(body, call)
  if (!made.ok)
    throw new Error(`report: ${made.message}`)
  let inc = made.data
  for (const s of steps) {
    const res = await t.ctx.incidents.act(inc.id, s, call)
    if (!res.ok)
      throw new Error(`${s.action}: ${res.message}`)
    inc = res.data
  }
  return inc
}

/** Accept → assign → start → arrive → resolve → verify → feedback (satisfied): a case closed the usual way. */
export const CLOSED_PATH: ActionBody[] = [
  { action: 'accept' },
  { action: 'assign', assigneeId: 'gw-001', note: '派给网格员' },
  { action: 'start' },
  { action: 'arrive', location: { lon: 106.6, lat: 29.6 } },
  { action: 'progress', note: '已联系商户, "引号" 与换行\n第二行' },
  { action: 'resolve', note: '已处理', photos: ['b'.repeat(64)] },
  { action: 'verify' },
  { action: 'feedback', satisfied: true, contact: 'phone', note: '回访满意' },
]
