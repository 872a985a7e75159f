import type { Result } from '../../shared/kernel/result.ts'
import type { Robot, RobotSet } from '../../shared/notify/robot-schema.ts'
import type { ReferenceData } from '../../shared/territory/types.ts'
import type { Audit, Call } from '../audit/service.ts'
import type { ChannelStore, RobotRow } from './channel-store.ts'
import type { Channel, Notice, SendOutcome } from './channel.ts'
import type { PostOptions } from './http.ts'
import { createHmac } from 'node:crypto'
import { scopeOf } from '../../shared/auth/authz.ts'
import { fail, succeed } from '../../shared/kernel/result.ts'
import { urlProblem } from '../webhooks/send.ts'
import { post } from './http.ts'

// Government messaging robots (#17): a notice goes to the group chat of the person's community (or a robot that
// reaches everyone), mentioning them by mobile number (WeCom, DingTalk; Feishu mentions by user id only, so there it
// is a plain message). The robots are data the admin keeps (webhook:manage). A phone number is personal data: it is
// in the request body and nowhere else (not in a log, an error, an audit row or a read).

export interface RobotDeps { store: ChannelStore, audit: Audit, now: () => Date, readonly reference: ReferenceData, http: PostOptions }

const base64Hmac = (key: string, data: string) => createHmac('sha256', key).update(data).digest('base64')

/** A mainland mobile number as the robots take it: digits only, without +86. */
const nationalPhone = (raw: string) => raw.replace(/[^\d+]/g, '').replace(/^\+?86(?=1\d{10}$)/, '')

/** Digit runs long enough to be a phone number, blanked: what a robot answers is logged and stored. */
export const withoutPhones = (s: string) => s.replace(/\d{7,}/g, '…')

/** The URL, body and the signature a robot of this kind takes (the platforms' documented shapes). */
export function robotRequest(r: Pick<RobotRow, 'kind' | 'url' | 'secret'>, text: string, phones: string[], at: Date): { url: string, body: Record<string, unknown> } {
  if (r.kind === 'wecom')
    return { url: r.url, body: { msgtype: 'text', text: { content: text, mentioned_mobile_list: phones } } }
  if (r.kind === 'dingtalk') {
    // 加签: HMAC-SHA256 of "timestamp\nsecret" keyed by the secret, base64, both in the query.
    const ts = String(at.getTime())
    const url = r.secret ? `${r.url}${r.url.includes('?') ? '&' : '?'}timestamp=${ts}&sign=${encodeURIComponent(base64Hmac(r.secret, `${ts}\n${r.secret}`))}` : r.url
    // DingTalk shows the mention only where "@<mobile>" is in the text too.
    return { url, body: { msgtype: 'text', text: { content: [text, ...phones.map(p => `@${p}`)].join(' ') }, at: { atMobiles: phones, isAtAll: false } } }
  }
  // Feishu 签名校验: the key is "timestamp\nsecret" and the signed data is empty; seconds, in the body.
  const ts = String(Math.floor(at.getTime() / 1000))
  return { url: r.url, body: { ...(r.secret ? { timestamp: ts, sign: base64Hmac(`${ts}\n${r.secret}`, '') } : {}), msg_type: 'text', content: { text } } }
}

/** A robot's own verdict in a 200: errcode (WeCom, DingTalk) or code (Feishu) 0 is accepted. */
function verdict(status: number, text: string): string | null {
  if (status < 200 || status >= 300)
    return `HTTP ${status}`
  let body: { errcode?: number, errmsg?: string, code?: number, msg?: string, StatusCode?: number }
  try {
    body = JSON.parse(text) as typeof body
  }
  catch {
    return null
  }
  const code = body.errcode ?? body.code ?? body.StatusCode ?? 0
  return code === 0 ? null : withoutPhones(`${code}: ${body.errmsg ?? body.msg ?? ''}`.slice(0, 200))
}

/** The robot URL with its tokens masked: a WeCom key or a DingTalk access token in it is as good as a password. */
export function maskUrl(raw: string): string {
  const u = new URL(raw)
  for (const k of [...u.searchParams.keys()]) u.searchParams.set(k, '***')
  u.pathname = u.pathname.split('/').map(seg => (seg.length >= 16 ? `***${seg.slice(-4)}` : seg)).join('/')
  return decodeURI(u.toString())
}

const viewOf = (r: RobotRow): Robot => ({ id: r.id, kind: r.kind, name: r.name, urlHint: maskUrl(r.url), secretSet: r.secret !== null, communities: r.communities, enabled: r.enabled, createdAt: r.createdAt, updatedAt: r.updatedAt })

export function createRobotChannel(deps: RobotDeps) {
  const { store, audit, now } = deps

  /** The person's communities: their own and those of the grids they work or instruct. */
  function communitiesOf(personId: string): Set<string> {
    const ref = deps.reference
    const scope = scopeOf(ref, personId)
    const grids = new Set(scope.gridIds)
    return new Set([...(scope.communityId ? [scope.communityId] : []), ...ref.territory.grids.filter(g => grids.has(g.id)).map(g => g.communityId)])
  }
  /** The robots of the person's communities, or else the ones that reach everyone. */
  async function robotsFor(personId: string): Promise<RobotRow[]> {
    if (!deps.reference.org.people.some(p => p.id === personId))
      return []
    const mine = communitiesOf(personId)
    const enabled = (await store.robots()).filter(r => r.enabled)
    const local = enabled.filter(r => r.communities?.some(c => mine.has(c)))
    return local.length ? local : enabled.filter(r => r.communities === null)
  }

  async function send(n: Notice): Promise<SendOutcome> {
    const robots = await robotsFor(n.personId)
    if (robots.length === 0)
      return { status: 'skipped', reason: 'no robot reaches this person' }
    if (!await store.claimSend({ channel: 'robot', deliveryId: n.deliveryId, personId: n.personId, at: now().toISOString() }))
      return { status: 'sent', providerId: 'sent before' }
    const phone = deps.reference.org.people.find(p => p.id === n.personId)?.phone
    const phones = phone ? [nationalPhone(phone)] : []
    const text = [`【${n.title}】${n.body}`, n.link].filter(Boolean).join('\n')
    const errors: string[] = []
    for (const r of robots) {
      const req = robotRequest(r, text, phones, now())
      const ans = await post(req.url, JSON.stringify(req.body), { 'content-type': 'application/json; charset=utf-8' }, deps.http)
      const problem = ans.status === null ? withoutPhones(ans.error) : verdict(ans.status, ans.text)
      if (problem)
        errors.push(`${r.name}: ${problem}`)
    }
    const sent = errors.length < robots.length
    await store.markSend('robot', n.deliveryId, sent ? 'sent' : 'failed', errors.join('; ') || null, now().toISOString())
    return sent ? { status: 'sent', providerId: robots.map(r => r.id).join(',') } : { status: 'failed', error: errors.join('; ') }
  }

  const channel: Channel = {
    name: 'robot',
    reaches: async personId => (await robotsFor(personId)).length > 0,
    send,
  }

  const admin = (call: Call, action: string, target: string | null, record = true) => audit.guard(call, 'webhook:manage', target, { action, recordAllow: record })

  return {
    channel,
    async list(call: Call): Promise<Result<Robot[]>> {
      const g = await admin(call, 'robot:list', null, false)
      return g.ok ? succeed((await store.robots()).map(viewOf)) : g
    },
    async save(call: Call, id: string, body: RobotSet): Promise<Result<Robot>> {
      const g = await admin(call, 'robot:save', id)
      if (!g.ok)
        return g
      const was = (await store.robots()).find(r => r.id === id)
      const url = body.url ?? was?.url
      if (!url)
        return fail('invalid', 'a new robot needs its webhook URL', 'url')
      const problem = urlProblem(url, deps.http.allowPrivate)
      if (problem)
        return fail('invalid', `robot URL refused: ${problem}`, 'url')
      const known = new Set(deps.reference.territory.communities.map(c => c.id))
      const unknown = body.communities?.find(c => !known.has(c))
      if (unknown)
        return fail('invalid', `no community ${unknown}`, 'communities')
      const at = now().toISOString()
      const row: RobotRow = { id, kind: body.kind, name: body.name, url, secret: body.secret === undefined ? was?.secret ?? null : body.secret, communities: body.communities, enabled: body.enabled ?? was?.enabled ?? true, createdAt: was?.createdAt ?? at, updatedAt: at }
      await store.saveRobot(row)
      return succeed(viewOf(row), { created: !was })
    },
    async remove(call: Call, id: string): Promise<Result<null>> {
      const g = await admin(call, 'robot:delete', id)
      if (!g.ok)
        return g
      return await store.deleteRobot(id) ? succeed(null) : fail('not_found', `no robot ${id}`, 'id')
    },
  }
}

export type RobotService = ReturnType<typeof createRobotChannel>
