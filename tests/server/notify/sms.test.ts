import type { SmsOut } from '../../../server/notify/sms.ts'
import { describe, expect, it } from 'vitest'
import { linkKey, signLink, verifyLink } from '../../../server/notify/link.ts'
import { smsParts } from '../../../server/notify/smpp.ts'
import { handleCallback, signBody, verifyBody } from '../../../server/notify/sms-http.ts'
import { createSmsChannel, nationalNumber, smsText } from '../../../server/notify/sms.ts'

const NOW = new Date('2026-07-20T08:00:00Z')

describe('the SMS link', () => {
  it('is 28 characters that name the delivery, until it expires', () => {
    const token = signLink('secret', 'task:op-1:patrol:gw-001|gw-001|2', new Date(NOW.getTime() + 3_600_000))
    expect(token).toMatch(/^[\w-]{28}$/)
    expect(verifyLink('secret', token, NOW)).toEqual({ key: linkKey('task:op-1:patrol:gw-001|gw-001|2') })
    expect(verifyLink('secret', token, new Date(NOW.getTime() + 3_600_000))).toEqual({ error: 'expired' })
  })
  it('refuses another key\'s signature and a changed character', () => {
    const token = signLink('secret', 'd1', new Date(NOW.getTime() + 3_600_000))
    expect(verifyLink('other', token, NOW)).toEqual({ error: 'invalid' })
    expect(verifyLink('secret', `${token.slice(0, 5)}${token[5] === 'A' ? 'B' : 'A'}${token.slice(6)}`, NOW)).toEqual({ error: 'invalid' })
    expect(verifyLink('secret', 'short', NOW)).toEqual({ error: 'invalid' })
  })
})

describe('the SMS channel', () => {
  const people = new Map([['p1', { id: 'p1', name: '张三', roles: [], title: '', phone: '+86 138-0000-0001' }], ['p2', { id: 'p2', name: '李四', roles: [], title: '' }]])
  const notice = (personId: string, n = 1) => ({ deliveryId: `d${n}`, personId, subject: { kind: 'task' as const, id: 't1' }, title: '网格巡查', body: '请于16:05前确认', link: 'http://x/t/abc', ack: true })

  it('fills the template, sends to the national number, and stops at the day\'s cap', async () => {
    const out: SmsOut[] = []
    const send = async (m: SmsOut) => {
      out.push(m)
      return { providerId: `m${out.length}` }
    }
    const ch = createSmsChannel({ transport: { send, close: async () => {} }, person: id => people.get(id) as never, now: () => NOW, cap: 2, sign: '一屏统揽', sentOn: () => 1 })
    expect(await ch.reaches('p2')).toBe(false)
    expect(await ch.send(notice('p2'))).toEqual({ status: 'skipped', reason: 'no phone number' })
    expect(await ch.send(notice('p1'))).toEqual({ status: 'sent', providerId: 'm1' })
    expect(out[0]).toMatchObject({ phone: '13800000001', templateId: 'task', text: '【一屏统揽】网格巡查：请于16:05前确认。点链接确认 http://x/t/abc 或回复1' })
    expect(await ch.reaches('p1')).toBe(false)
    expect((await ch.send(notice('p1', 2))).status).toBe('skipped')
    expect(out).toHaveLength(1)
  })

  it('reads numbers the way people write them', () => {
    expect(['+8613800000001', '0086 138 0000 0001', '138-0000-0001'].map(nationalNumber)).toEqual(['13800000001', '13800000001', '13800000001'])
    expect(smsText('escalation', { sign: 'X', title: '任务未确认', body: '请督促' })).toBe('【X】任务未确认：请督促')
  })

  it('splits a long Chinese text into concatenated UCS2 parts of 67', () => {
    const parts = smsParts('长'.repeat(140), 7)
    expect(parts.map(p => [...p.message].length)).toEqual([67, 67, 6])
    expect([...parts[1]!.udh!]).toEqual([5, 0, 3, 7, 3, 2])
    expect(smsParts('短'.repeat(70), 1)).toEqual([{ udh: null, message: '短'.repeat(70) }])
  })
})

describe('the HTTP gateway\'s callback', () => {
  it('passes on a signed receipt or reply and refuses a bad or stale signature', () => {
    const body = JSON.stringify({ type: 'reply', phone: '13800000001', text: '1' })
    const ts = String(NOW.getTime() / 1000)
    expect(verifyBody('k', ts, signBody('k', ts, body), body, NOW)).toBe(true)
    expect(verifyBody('k', ts, signBody('other', ts, body), body, NOW)).toBe(false)
    expect(verifyBody('k', ts, signBody('k', ts, body), body, new Date(NOW.getTime() + 10 * 60_000))).toBe(false)
    const seen: string[] = []
    const events = { receipt: (id: string, s: string) => seen.push(`${id}:${s}`), reply: (p: string, t: string) => seen.push(`${p}:${t}`) }
    expect(handleCallback(events, JSON.parse(body))).toBe(true)
    expect(handleCallback(events, { type: 'receipt', id: 'g1', status: 'DELIVRD' })).toBe(true)
    expect(handleCallback(events, { type: 'other' })).toBe(false)
    expect(seen).toEqual(['13800000001:1', 'g1:delivered'])
  })
})
