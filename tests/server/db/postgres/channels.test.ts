import type { ChannelStore, PushSubscriptionRow, RobotRow } from '../../../../server/notify/channel-store.ts'
import { afterEach, describe, expect, it } from 'vitest'
import { createPgChannelStore, PG_CHANNEL_DDL } from '../../../../server/db/postgres/channels.ts'
import { PG_CORE_DDL } from '../../../../server/db/postgres/core-schema.ts'
import { createSqliteStore } from '../../../../server/db/sqlite/store.ts'
import { freshSchema } from '../../../helpers/pg.ts'

interface Made { store: ChannelStore, close: () => Promise<void> }

const dialects: [string, () => Promise<Made>][] = [
  ['sqlite', async () => {
    const s = createSqliteStore({ file: ':memory:' })
    await s.migrate()
    return { store: s.channels, close: () => s.close() }
  }],
  ['postgres', async () => {
    const t = await freshSchema(PG_CORE_DDL + PG_CHANNEL_DDL)
    return { store: createPgChannelStore(t.pool), close: () => t.drop() }
  }],
]

const at = (minute: number) => new Date(Date.UTC(2025, 6, 1, 8, minute)).toISOString()
function sub(endpoint: string, personId: string, minute: number, more: Partial<PushSubscriptionRow> = {}): PushSubscriptionRow {
  return {
    endpoint: `https://push.example/${endpoint}`,
    personId,
    p256dh: `key-${endpoint}`,
    auth: `auth-${endpoint}`,
    device: `cred-${endpoint}`,
    createdAt: at(minute),
    updatedAt: at(minute),
    ...more,
  }
}
function robot(id: string, minute: number, more: Partial<RobotRow> = {}): RobotRow {
  return {
    id,
    kind: 'wecom',
    name: `机器人 ${id}`,
    url: `https://qyapi.example/${id}`,
    secret: null,
    communities: null,
    enabled: true,
    createdAt: at(minute),
    updatedAt: at(minute),
    ...more,
  }
}

describe.each(dialects)('channel store on %s', (_, make) => {
  let m: Made
  afterEach(async () => m.close())

  it('keeps the first VAPID pair ever stored, without making another', async () => {
    m = await make()
    let made = 0
    const pair = (n: number) => () => {
      made++
      return { publicKey: `pub${n}`, privateKey: `priv${n}` }
    }
    expect(await m.store.vapidKeys(pair(1), at(0))).toEqual({ publicKey: 'pub1', privateKey: 'priv1' })
    expect(await m.store.vapidKeys(pair(2), at(1))).toEqual({ publicKey: 'pub1', privateKey: 'priv1' })
    expect(made).toBe(1)
  })

  it('gives every node racing for the first VAPID pair the same one', async () => {
    m = await make()
    const got = await Promise.all([1, 2, 3, 4, 5, 6].map(n => m.store.vapidKeys(() => ({ publicKey: `pub${n}`, privateKey: `priv${n}` }), at(n))))
    expect(new Set(got.map(k => `${k.publicKey}/${k.privateKey}`)).size).toBe(1)
    expect(got[0]!.publicKey).toMatch(/^pub[1-6]$/)
    expect(got[0]!.privateKey).toBe(got[0]!.publicKey.replace('pub', 'priv'))
  })

  it('keeps a person\'s newest subscriptions, newest first, and moves an endpoint to whoever saved it last', async () => {
    m = await make()
    await m.store.saveSubscription(sub('a', 'p1', 1), 2)
    await m.store.saveSubscription(sub('b', 'p1', 2), 2)
    await m.store.saveSubscription(sub('c', 'p1', 3), 2)
    expect(await m.store.subscriptions('p1')).toEqual([sub('c', 'p1', 3), sub('b', 'p1', 2)])
    // Saved again: its keys and time change, its creation stays.
    await m.store.saveSubscription(sub('b', 'p1', 4, { p256dh: 'new', createdAt: at(40) }), 2)
    expect(await m.store.subscriptions('p1')).toEqual([sub('b', 'p1', 4, { p256dh: 'new', createdAt: at(2) }), sub('c', 'p1', 3)])
    await m.store.saveSubscription(sub('c', 'p2', 5), 2)
    expect((await m.store.subscriptions('p1')).map(s => s.endpoint)).toEqual(['https://push.example/b'])
    expect(await m.store.subscriptions('p2')).toEqual([sub('c', 'p2', 5, { createdAt: at(3) })])
    expect(await m.store.subscriptions('nobody')).toEqual([])
  })

  it('keeps at most `keep` of a person\'s subscriptions when browsers subscribe at once', async () => {
    m = await make()
    await Promise.all([1, 2, 3, 4, 5, 6].map(n => m.store.saveSubscription(sub(`e${n}`, 'p1', n), 2)))
    expect(await m.store.subscriptions('p1')).toHaveLength(2)
  })

  it('removes an endpoint, of its own person only when one is named', async () => {
    m = await make()
    await m.store.saveSubscription(sub('a', 'p1', 1), 5)
    await m.store.saveSubscription(sub('b', 'p1', 2), 5)
    expect(await m.store.deleteSubscription('https://push.example/a', 'p2')).toBe(false)
    expect(await m.store.deleteSubscription('https://push.example/a', 'p1')).toBe(true)
    expect(await m.store.deleteSubscription('https://push.example/b')).toBe(true)
    expect(await m.store.deleteSubscription('https://push.example/b')).toBe(false)
    expect(await m.store.subscriptions('p1')).toEqual([])
  })

  it('lists robots by creation then id, updates one in place and deletes it once', async () => {
    m = await make()
    expect(await m.store.robots()).toEqual([])
    await m.store.saveRobot(robot('r2', 1, { communities: ['c1', 'c2'], secret: 'SEC' }))
    await m.store.saveRobot(robot('r1', 1, { kind: 'feishu', enabled: false }))
    await m.store.saveRobot(robot('r0', 2, { kind: 'dingtalk' }))
    expect(await m.store.robots()).toEqual([
      robot('r1', 1, { kind: 'feishu', enabled: false }),
      robot('r2', 1, { communities: ['c1', 'c2'], secret: 'SEC' }),
      robot('r0', 2, { kind: 'dingtalk' }),
    ])
    const edited = robot('r2', 1, { name: '改名', communities: [], secret: null, enabled: false, updatedAt: at(9) })
    await m.store.saveRobot({ ...edited, createdAt: at(30) })
    expect((await m.store.robots())[1]).toEqual(edited)
    expect(await m.store.deleteRobot('r2')).toBe(true)
    expect(await m.store.deleteRobot('r2')).toBe(false)
    expect((await m.store.robots()).map(r => r.id)).toEqual(['r1', 'r0'])
  })

  it('claims a send once; only a failed one can be claimed again', async () => {
    m = await make()
    const claim = { channel: 'push', deliveryId: 'd1', personId: 'p1', at: at(1) }
    expect(await m.store.claimSend(claim)).toBe(true)
    expect(await m.store.claimSend({ ...claim, at: at(2) })).toBe(false)
    expect(await m.store.claimSend({ ...claim, channel: 'robot' })).toBe(true)
    expect(await m.store.send('push', 'd1')).toEqual({ channel: 'push', deliveryId: 'd1', personId: 'p1', state: 'sending', detail: null, at: at(1) })
    await m.store.markSend('push', 'd1', 'failed', `x${'y'.repeat(600)}`, at(3))
    const failed = await m.store.send('push', 'd1')
    expect(failed).toMatchObject({ state: 'failed', at: at(3) })
    expect(failed!.detail).toBe(`x${'y'.repeat(499)}`)
    expect(await m.store.claimSend({ ...claim, personId: 'p9', at: at(4) })).toBe(true)
    expect(await m.store.send('push', 'd1')).toEqual({ channel: 'push', deliveryId: 'd1', personId: 'p1', state: 'sending', detail: null, at: at(4) })
    await m.store.markSend('push', 'd1', 'delivered', null, at(5))
    expect(await m.store.claimSend({ ...claim, at: at(6) })).toBe(false)
    expect(await m.store.send('push', 'd1')).toMatchObject({ state: 'delivered', detail: null, at: at(5) })
    expect(await m.store.send('push', 'd2')).toBeNull()
    await m.store.markSend('push', 'd2', 'sent', null, at(5))
    expect(await m.store.send('push', 'd2')).toBeNull()
  })

  it('lets exactly one of several simultaneous claims win, a retry of a failed send too', async () => {
    m = await make()
    const claim = (n: number) => m.store.claimSend({ channel: 'robot', deliveryId: 'd1', personId: 'p1', at: at(n) })
    expect((await Promise.all([1, 2, 3, 4, 5, 6].map(claim))).filter(Boolean)).toHaveLength(1)
    await m.store.markSend('robot', 'd1', 'failed', 'timeout', at(7))
    expect((await Promise.all([8, 9, 10, 11, 12].map(claim))).filter(Boolean)).toHaveLength(1)
  })

  it('prunes the sends older than a time', async () => {
    m = await make()
    for (const [id, minute] of [['d1', 1], ['d2', 2], ['d3', 3]] as const)
      await m.store.claimSend({ channel: 'push', deliveryId: id, personId: 'p1', at: at(minute) })
    expect(await m.store.pruneSends(at(3))).toBe(2)
    expect(await m.store.pruneSends(at(3))).toBe(0)
    expect(await m.store.send('push', 'd1')).toBeNull()
    expect(await m.store.send('push', 'd3')).not.toBeNull()
  })
})
