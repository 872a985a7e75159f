import type { InfoReport } from '../../shared/inforeport/schema.ts'
import type { Subdistrict } from '../../shared/territory/types.ts'
import type { Config } from '../config.ts'
import type { SendOutcome } from '../webhooks/send.ts'
import { reportName } from '../../shared/inforeport/schedule.ts'
import { postJson } from '../webhooks/send.ts'
import { signedHeaders } from '../webhooks/sign.ts'

// A report to the district's system: one POST, signed like the outcome webhooks (docs/webhooks.md: HMAC-SHA256 of
// `<timestamp>.<body>`, X-OneScreen-* headers; a receiver verifies it with shared/webhooks/signature.ts). The event
// id is the report's id and version, so a receiver that sees a retry of the same send can drop it.

/** The body the district receives: the report's fields, its text as sent and the figures it was drafted from. */
export function districtBody(r: InfoReport, subdistrict: Pick<Subdistrict, 'id' | 'name'>) {
  return {
    type: 'inforeport',
    id: r.id,
    version: r.version,
    subdistrict: { id: subdistrict.id, name: subdistrict.name },
    operationId: r.operationId,
    kind: r.kind,
    number: r.number,
    name: reportName(r),
    dueAt: r.dueAt,
    sentAt: r.sentAt,
    fields: r.fields,
    figures: r.figures,
    text: r.text,
  }
}

export async function sendToDistrict(config: Pick<Config, 'inforeport' | 'webhooks'>, r: InfoReport, subdistrict: Pick<Subdistrict, 'id' | 'name'>, now: Date): Promise<SendOutcome> {
  const { url, secret } = config.inforeport
  if (!url || !secret)
    return { ok: false, status: null, error: 'no district URL and secret are set (ONESCREEN_INFOREPORT_URL, ONESCREEN_INFOREPORT_SECRET)' }
  const body = JSON.stringify(districtBody(r, subdistrict))
  return postJson(url, body, signedHeaders(secret, `${r.id}:v${r.version}`, body, now), { timeoutMs: config.webhooks.timeoutMs, allowPrivate: config.webhooks.allowPrivate })
}
