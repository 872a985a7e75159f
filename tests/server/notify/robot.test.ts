import type { AddressInfo } from 'node:net'
import type { Notice } from '../../../server/notify/channel.ts'
import type { TestApp } from '../../helpers/app.ts'
import { Buffer } from 'node:buffer'
import { createHmac } from 'node:crypto'
import http from 'node:http'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildTestApp } from '../../helpers/app.ts'

// Messaging robots against a loopback receiver that checks each platform's signature as the platform documents it
// (DingTalk: HMAC-SHA256 of "timestamp\nsecret" keyed by the secret, in the query; Feishu: keyed by
// "timestamp\nsecret" over nothing, in the body) and answers the platform's errcode.

interface Hit { kind: string, query: URLSearchParams, body: Record<string, any>, signed: boolean | null }
const SECRET = 'SECdemo-robot-secret-0123456789'
const hits: Hit[] = []
const b64hmac = (key: string, data: string) => createHmac('sha256', key).update(data).digest('base64')

const receiver = http.createServer((req, res) => {
  const chunks: Buffer[] = []
  req.on('data', (c: Buffer) => chunks.push(c))
  req.on('end', () => {
    const u = new URL(req.url!, 'http://x')
    const kind = u.pathname.split('/')[1]!
    const body = JSON.parse(Buffer.concat(chunks).toString()) as Record<string, any>
    let signed: boolean | null = null
    if (kind === 'dingtalk' && u.searchParams.has('sign'))
      signed = u.searchParams.get('sign') === b64hmac(SECRET, `${u.searchParams.get('timestamp')}\n${SECRET}`)
    if (kind === 'feishu' && body.sign)
      signed = body.sign === b64hmac(`${body.timestamp}\n${SECRET}`, '')
    hits.push({ kind, query: u.searchParams, body, signed })
    res.writeHead(200, { 'content-type': 'application/json' })
    // The platforms answer 200 either way; the verdict is in the body.
    res.end(JSON.stringify(kind === 'feishu' ? { code: signed === false ? 19021 : 0, msg: signed === false ? 'sign match fail' : 'success' } : { errcode: signed === false ? 310000 : 0, errmsg: signed === false ? 'sign not match' : 'ok' }))
  })
})

let t: TestApp
let base: string
let person: { id: string, phone: string, communityId: string }
let outsider: string

beforeAll(async () => {
  t = await buildTestApp()
  await new Promise<void>(resolve => receiver.listen(0, '127.0.0.1', resolve))
  base = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`
  const ref = t.ctx.reference
  const roster = ref.org.rosters.find(r => ref.org.people.find(p => p.id === r.workerId)?.phone)!
  const grid = ref.territory.grids.find(g => g.id === roster.gridId)!
  person = { id: roster.workerId, phone: ref.org.people.find(p => p.id === roster.workerId)!.phone!, communityId: grid.communityId }
  const otherGrids = new Set(ref.territory.grids.filter(g => g.communityId !== grid.communityId).map(g => g.id))
  outsider = ref.org.rosters.find(r => otherGrids.has(r.gridId) && ref.org.people.find(p => p.id === r.workerId)?.communityId !== grid.communityId)!.workerId
})
afterAll(async () => {
  await t.close()
  await new Promise(resolve => receiver.close(resolve))
})

const put = async (id: string, body: object, as = 'admin') => t.app.inject({ method: 'PUT', url: `/api/notify/robots/${id}`, headers: await t.as(as), payload: body })
const notice = (deliveryId: string): Notice => ({ deliveryId, personId: person.id, subject: { kind: 'task', id: 'task-1' }, title: '防汛任务', body: '请到寸滩码头巡查', link: 'https://onescreen.example/t/abc', ack: true })
const national = (p: string) => p.replace(/\D/g, '').replace(/^86(?=1\d{10}$)/, '')

describe('messaging robots', () => {
  it('are the admin\'s: reads never carry the secret or the URL\'s token, others are refused', async () => {
    const made = await put('grp', { kind: 'wecom', name: '寸滩社区防汛群', url: `${base}/wecom/send?key=0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0`, secret: SECRET, communities: [person.communityId] })
    expect(made.statusCode, made.body).toBe(201)
    const list = await t.app.inject({ method: 'GET', url: '/api/notify/robots', headers: await t.as('admin') })
    expect(list.statusCode).toBe(200)
    expect(list.body).not.toContain(SECRET)
    expect(list.body).not.toContain('0f1e2d3c')
    expect(list.json()[0]).toMatchObject({ id: 'grp', kind: 'wecom', secretSet: true, communities: [person.communityId] })

    expect((await t.app.inject({ method: 'GET', url: '/api/notify/robots', headers: await t.as('operator') })).statusCode).toBe(403)
    expect((await put('grp', { kind: 'wecom', name: 'x', communities: null }, 'commander')).statusCode).toBe(403)
    const unknown = await put('bad', { kind: 'wecom', name: 'x', url: `${base}/wecom`, communities: ['nowhere'] })
    expect([unknown.statusCode, unknown.json().field]).toEqual([400, 'communities'])
    const noUrl = await put('bad', { kind: 'wecom', name: 'x', communities: null })
    expect([noUrl.statusCode, noUrl.json().field]).toEqual([400, 'url'])
  })

  it('reach the people of their communities, or everyone', async () => {
    expect(await t.ctx.robots.channel.reaches(person.id)).toBe(true)
    expect(await t.ctx.robots.channel.reaches(outsider)).toBe(false)
    expect((await put('all', { kind: 'feishu', name: '街道总群', url: `${base}/feishu/hook`, communities: null, enabled: false })).statusCode).toBe(201)
    expect(await t.ctx.robots.channel.reaches(outsider), 'a disabled robot reaches nobody').toBe(false)
    expect((await put('all', { kind: 'feishu', name: '街道总群', communities: null, enabled: true })).statusCode).toBe(200)
    expect(await t.ctx.robots.channel.reaches(outsider)).toBe(true)
  })

  it('posts to WeCom with the person\'s mobile in the mention list, once per delivery', async () => {
    expect(await t.ctx.robots.channel.send(notice('r-1'))).toMatchObject({ status: 'sent' })
    const hit = hits.at(-1)!
    expect(hit.kind, 'the community robot, not the catch-all').toBe('wecom')
    expect(hit.body).toEqual({ msgtype: 'text', text: { content: '【防汛任务】请到寸滩码头巡查\nhttps://onescreen.example/t/abc', mentioned_mobile_list: [national(person.phone)] } })
    await t.ctx.robots.channel.send(notice('r-1'))
    expect(hits.filter(h => h.kind === 'wecom'), 'not posted twice').toHaveLength(1)
  })

  it('signs for DingTalk in the query and mentions the mobile', async () => {
    await put('grp', { kind: 'dingtalk', name: '钉钉群', url: `${base}/dingtalk/robot/send?access_token=abcdef0123456789abcdef`, communities: [person.communityId] })
    expect(await t.ctx.robots.channel.send(notice('r-2'))).toMatchObject({ status: 'sent' })
    const hit = hits.at(-1)!
    expect([hit.kind, hit.signed]).toEqual(['dingtalk', true])
    expect(hit.query.get('access_token')).toBe('abcdef0123456789abcdef')
    expect(hit.body.at).toEqual({ atMobiles: [national(person.phone)], isAtAll: false })
    expect(hit.body.text.content).toContain(`@${national(person.phone)}`)
  })

  it('signs for Feishu in the body', async () => {
    await put('grp', { kind: 'feishu', name: '飞书群', url: `${base}/feishu/open-apis/bot/v2/hook/1234`, communities: [person.communityId] })
    expect(await t.ctx.robots.channel.send(notice('r-3'))).toMatchObject({ status: 'sent' })
    const hit = hits.at(-1)!
    expect([hit.kind, hit.signed]).toEqual(['feishu', true])
    expect(hit.body).toMatchObject({ msg_type: 'text', content: { text: '【防汛任务】请到寸滩码头巡查\nhttps://onescreen.example/t/abc' } })
  })

  it('fails on the robot\'s refusal without the phone number in the error', async () => {
    await put('grp', { kind: 'dingtalk', name: '钉钉群', url: `${base}/dingtalk/robot/send?access_token=x`, secret: 'wrong-secret', communities: [person.communityId] })
    const out = await t.ctx.robots.channel.send(notice('r-4'))
    expect(out).toMatchObject({ status: 'failed', error: expect.stringContaining('310000') })
    expect(JSON.stringify(out)).not.toContain(national(person.phone))
    const sent = await t.ctx.store.channels.send('robot', 'r-4')
    expect([sent?.state, sent?.detail?.includes(national(person.phone))]).toEqual(['failed', false])
    expect((await t.app.inject({ method: 'DELETE', url: '/api/notify/robots/grp', headers: await t.as('admin') })).statusCode).toBe(204)
  })
})
