import type { Account, AuditEntry, AuthStore, Credential, SessionRow, ShareLink } from '../../../../server/db/auth-store.ts'
import type { TestSchema } from '../../../helpers/pg.ts'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { StoreUnavailableError } from '../../../../server/db/errors.ts'
import { createPgAuth, PG_AUTH_DDL } from '../../../../server/db/postgres/auth.ts'
import { PG_CORE_DDL } from '../../../../server/db/postgres/core-schema.ts'
import { createPool } from '../../../../server/db/postgres/pool.ts'
import { openConnection } from '../../../../server/db/sqlite/connection.ts'
import { SQLITE_MIGRATIONS } from '../../../../server/db/sqlite/migrations.ts'
import { createSqliteStore } from '../../../../server/db/sqlite/store.ts'
import { freshSchema } from '../../../helpers/pg.ts'

// The auth store's contract, run on both dialects: the same calls answer the same values.

interface Opened { auth: AuthStore, close: () => Promise<void> }
const dialects: [string, () => Promise<Opened>][] = [
  ['sqlite', async () => {
    const store = createSqliteStore({ file: ':memory:' })
    await store.migrate()
    return { auth: store.auth, close: () => store.close() }
  }],
  ['postgres', async () => {
    const t = await freshSchema(PG_CORE_DDL + PG_AUTH_DDL)
    return { auth: createPgAuth(t.pool), close: () => t.drop() }
  }],
]

const T0 = '2026-03-01T08:00:00.000Z'
const DAY = 86_400_000

function account(over: Partial<Account> = {}): Account {
  return { id: 'acc_1', username: 'zhang', personId: null, name: '张伟', roles: ['operator'], passwordHash: 'h1', disabled: false, createdAt: T0, passwordChangedAt: T0, scope: null, disabledAt: null, ...over }
}
function session(over: Partial<SessionRow> = {}): SessionRow {
  return { idHash: 'sh_1', kind: 'user', subjectId: 'acc_1', csrf: 'c1', createdAt: T0, lastSeenAt: T0, idleMs: 7_200_000, expiresAt: '2026-03-01T20:00:00.000Z', revokedAt: null, ...over }
}
function link(over: Partial<ShareLink> = {}): ShareLink {
  return { id: 'shr_1', label: '区领导', createdBy: 'acc_1', createdAt: T0, expiresAt: '2026-03-02T08:00:00.000Z', revokedAt: null, ...over }
}
function credential(over: Partial<Credential> = {}): Credential {
  return { id: 'dev_1', kind: 'device', personId: null, name: '大屏', roles: ['wall'], tokenHash: 'th_1', createdBy: 'system', createdAt: T0, revokedAt: null, grant: null, ...over }
}
function entry(over: Partial<AuditEntry> = {}): AuditEntry {
  return { at: T0, actorKind: 'user', actorId: 'acc_1', role: 'operator', ip: '10.0.0.1', via: 'http', action: 'incident:report', target: 'inc_1', result: 'allow', detail: null, ...over }
}

describe.each(dialects)('auth store (%s)', (_, open) => {
  let s: Opened
  let auth: AuthStore
  beforeEach(async () => {
    s = await open()
    auth = s.auth
  })
  afterEach(() => s.close())

  describe('meta', () => {
    it('answers null for an unknown key, then the last value set', async () => {
      expect(await auth.getMeta('share_secret')).toBeNull()
      await auth.setMeta('share_secret', 'a')
      await auth.setMeta('share_secret', 'b')
      expect(await auth.getMeta('share_secret')).toBe('b')
    })
  })

  describe('accounts', () => {
    it('reads an account back by id and by username, with its territory and flags', async () => {
      const a = account({ personId: 'p_7', roles: ['grid_worker', 'operator'], scope: { communityId: 'c_2', sectorId: null } })
      await auth.createAccount(a)
      expect(await auth.account('acc_1')).toEqual(a)
      expect(await auth.accountByUsername('zhang')).toEqual(a)
      expect(await auth.accountByUsername('Zhang')).toBeNull()
      expect(await auth.account('acc_9')).toBeNull()
    })

    it('stores an empty territory as {} and none as null', async () => {
      await auth.createAccount(account({ scope: {} }))
      await auth.createAccount(account({ id: 'acc_2', username: 'li', scope: undefined, disabled: true }))
      expect((await auth.account('acc_1'))!.scope).toEqual({})
      expect(await auth.account('acc_2')).toMatchObject({ scope: null, disabled: true, disabledAt: null })
    })

    it('refuses a second account with a taken id or username', async () => {
      await auth.createAccount(account())
      await expect(auth.createAccount(account({ id: 'acc_2' }))).rejects.toThrow()
      await expect(auth.createAccount(account({ username: 'li' }))).rejects.toThrow()
      expect(await auth.countAccounts()).toBe(1)
    })

    it('lists accounts by username bytewise and counts them', async () => {
      expect(await auth.countAccounts()).toBe(0)
      for (const [i, username] of ['b', '王五', 'a', 'Z', 'admin', 'B'].entries())
        await auth.createAccount(account({ id: `acc_${i}`, username }))
      expect((await auth.listAccounts()).map(a => a.username)).toEqual(['B', 'Z', 'a', 'admin', 'b', '王五'])
      expect(await auth.countAccounts()).toBe(6)
    })

    it('changes the password and when it was changed', async () => {
      await auth.createAccount(account())
      await auth.setPassword('acc_1', 'h2', '2026-03-02T00:00:00.000Z')
      expect(await auth.account('acc_1')).toMatchObject({ passwordHash: 'h2', passwordChangedAt: '2026-03-02T00:00:00.000Z', createdAt: T0 })
    })

    it('updates only the fields a patch names; null clears the person and the territory', async () => {
      await auth.createAccount(account({ personId: 'p_1', scope: { communityId: 'c_1' } }))
      await auth.updateAccount('acc_1', {})
      expect(await auth.account('acc_1')).toEqual(account({ personId: 'p_1', scope: { communityId: 'c_1' } }))
      await auth.updateAccount('acc_1', { name: '张三', roles: ['admin'] })
      expect(await auth.account('acc_1')).toMatchObject({ name: '张三', roles: ['admin'], personId: 'p_1', scope: { communityId: 'c_1' } })
      await auth.updateAccount('acc_1', { personId: null, scope: null })
      expect(await auth.account('acc_1')).toMatchObject({ name: '张三', roles: ['admin'], personId: null, scope: null })
      await auth.updateAccount('acc_1', { personId: 'p_2', scope: { postId: 'post_1' } })
      expect(await auth.account('acc_1')).toMatchObject({ personId: 'p_2', scope: { postId: 'post_1' } })
      await auth.updateAccount('acc_9', { name: 'nobody' })
      expect(await auth.countAccounts()).toBe(1)
    })

    it('disables an account at an instant and enables it again', async () => {
      await auth.createAccount(account())
      await auth.setDisabled('acc_1', '2026-03-03T00:00:00.000Z')
      expect(await auth.account('acc_1')).toMatchObject({ disabled: true, disabledAt: '2026-03-03T00:00:00.000Z' })
      await auth.setDisabled('acc_1', null)
      expect(await auth.account('acc_1')).toMatchObject({ disabled: false, disabledAt: null })
    })
  })

  describe('sessions', () => {
    it('reads a session back, a device\'s 30-day idle window included', async () => {
      const s1 = session({ idHash: 'sh_dev', kind: 'device', subjectId: 'dev_1', idleMs: 30 * DAY, expiresAt: '2027-04-05T08:00:00.000Z' })
      await auth.createSession(s1)
      expect(await auth.session('sh_dev')).toEqual(s1)
      expect(await auth.session('sh_none')).toBeNull()
    })

    it('refuses a second session with the same hash', async () => {
      await auth.createSession(session())
      await expect(auth.createSession(session({ subjectId: 'acc_2' }))).rejects.toThrow()
      expect((await auth.session('sh_1'))!.subjectId).toBe('acc_1')
    })

    it('touches the last-seen time only', async () => {
      await auth.createSession(session())
      await auth.touchSession('sh_1', '2026-03-01T09:00:00.000Z')
      expect(await auth.session('sh_1')).toEqual(session({ lastSeenAt: '2026-03-01T09:00:00.000Z' }))
    })

    it('keeps the first revocation time when a session is revoked twice', async () => {
      await auth.createSession(session())
      await auth.revokeSession('sh_1', '2026-03-01T09:00:00.000Z')
      await auth.revokeSession('sh_1', '2026-03-01T10:00:00.000Z')
      expect((await auth.session('sh_1'))!.revokedAt).toBe('2026-03-01T09:00:00.000Z')
    })

    it('revokes every live session of a subject and answers their hashes in order', async () => {
      for (const idHash of ['sh_z', 'sh_b', 'sh_m', 'sh_old'])
        await auth.createSession(session({ idHash }))
      await auth.createSession(session({ idHash: 'sh_other', subjectId: 'acc_2' }))
      await auth.revokeSession('sh_old', '2026-03-01T08:30:00.000Z')
      expect(await auth.revokeSessionsOf('acc_1', '2026-03-01T09:00:00.000Z')).toEqual(['sh_b', 'sh_m', 'sh_z'])
      expect(await auth.revokeSessionsOf('acc_1', '2026-03-01T10:00:00.000Z')).toEqual([])
      expect((await auth.session('sh_m'))!.revokedAt).toBe('2026-03-01T09:00:00.000Z')
      expect((await auth.session('sh_old'))!.revokedAt).toBe('2026-03-01T08:30:00.000Z')
      expect((await auth.session('sh_other'))!.revokedAt).toBeNull()
      expect(await auth.revokeSessionsOf('acc_9', T0)).toEqual([])
    })

    it('answers each revoked hash to one of two concurrent revocations', async () => {
      for (let i = 0; i < 20; i++)
        await auth.createSession(session({ idHash: `sh_${String(i).padStart(2, '0')}` }))
      const [a, b] = await Promise.all([auth.revokeSessionsOf('acc_1', '2026-03-01T09:00:00.000Z'), auth.revokeSessionsOf('acc_1', '2026-03-01T09:00:01.000Z')])
      expect([...a!, ...b!].sort()).toEqual(Array.from({ length: 20 }, (_, i) => `sh_${String(i).padStart(2, '0')}`))
    })
  })

  describe('share links', () => {
    it('reads a link back and lists links newest first, ties by id', async () => {
      await auth.createShareLink(link({ id: 'shr_c' }))
      await auth.createShareLink(link({ id: 'shr_a' }))
      await auth.createShareLink(link({ id: 'shr_new', createdAt: '2026-03-05T00:00:00.000Z', revokedAt: '2026-03-05T01:00:00.000Z' }))
      await auth.createShareLink(link({ id: 'shr_b' }))
      expect(await auth.shareLink('shr_a')).toEqual(link({ id: 'shr_a' }))
      expect(await auth.shareLink('shr_none')).toBeNull()
      expect((await auth.listShareLinks()).map(l => l.id)).toEqual(['shr_new', 'shr_a', 'shr_b', 'shr_c'])
      expect((await auth.listShareLinks())[0]).toEqual(link({ id: 'shr_new', createdAt: '2026-03-05T00:00:00.000Z', revokedAt: '2026-03-05T01:00:00.000Z' }))
    })

    it('revokes a link once: true, then false; an unknown link is false', async () => {
      await auth.createShareLink(link())
      expect(await auth.revokeShareLink('shr_1', '2026-03-01T09:00:00.000Z')).toBe(true)
      expect(await auth.revokeShareLink('shr_1', '2026-03-01T10:00:00.000Z')).toBe(false)
      expect((await auth.shareLink('shr_1'))!.revokedAt).toBe('2026-03-01T09:00:00.000Z')
      expect(await auth.revokeShareLink('shr_none', T0)).toBe(false)
    })

    it('answers true to one of two concurrent revocations', async () => {
      await auth.createShareLink(link())
      const done = await Promise.all([auth.revokeShareLink('shr_1', '2026-03-01T09:00:00.000Z'), auth.revokeShareLink('shr_1', '2026-03-01T09:00:01.000Z')])
      expect(done.filter(Boolean)).toEqual([true])
    })
  })

  describe('credentials', () => {
    const key = credential({ id: 'key_1', kind: 'key', name: '12345', roles: ['integration'], tokenHash: 'th_key', grant: { scopes: ['incidents:report'], communityIds: ['c_1'] } })
    const phone = credential({ id: 'phn_1', kind: 'person', personId: 'p_3', name: '手机', roles: [], tokenHash: 'th_phone' })

    it('reads credentials back by id and by token hash, with their grant and person', async () => {
      for (const c of [credential(), key, phone])
        await auth.createCredential(c)
      expect(await auth.credential('dev_1')).toEqual(credential())
      expect(await auth.credentialByTokenHash('th_key')).toEqual(key)
      expect(await auth.credential('phn_1')).toEqual(phone)
      expect(await auth.credential('dev_9')).toBeNull()
      expect(await auth.credentialByTokenHash('th_none')).toBeNull()
    })

    it('refuses a second credential with the same token hash', async () => {
      await auth.createCredential(credential())
      await expect(auth.createCredential(credential({ id: 'dev_2' }))).rejects.toThrow()
      expect(await auth.credential('dev_2')).toBeNull()
    })

    it('lists one kind, newest first, ties by id, revoked ones included', async () => {
      await auth.createCredential(credential({ id: 'dev_c', tokenHash: 't1' }))
      await auth.createCredential(credential({ id: 'dev_a', tokenHash: 't2', revokedAt: '2026-03-02T00:00:00.000Z' }))
      await auth.createCredential(credential({ id: 'dev_new', tokenHash: 't3', createdAt: '2026-03-04T00:00:00.000Z' }))
      await auth.createCredential(key)
      expect((await auth.listCredentials('device')).map(c => [c.id, c.revokedAt])).toEqual([['dev_new', null], ['dev_a', '2026-03-02T00:00:00.000Z'], ['dev_c', null]])
      expect(await auth.listCredentials('key')).toEqual([key])
      expect(await auth.listCredentials('person')).toEqual([])
    })

    it('revokes a credential once: true, then false; an unknown one is false', async () => {
      await auth.createCredential(credential())
      expect(await auth.revokeCredential('dev_1', '2026-03-01T09:00:00.000Z')).toBe(true)
      expect(await auth.revokeCredential('dev_1', '2026-03-01T10:00:00.000Z')).toBe(false)
      expect((await auth.credential('dev_1'))!.revokedAt).toBe('2026-03-01T09:00:00.000Z')
      expect(await auth.revokeCredential('dev_9', T0)).toBe(false)
    })

    it('answers true to one of two concurrent revocations', async () => {
      await auth.createCredential(key)
      const done = await Promise.all([auth.revokeCredential('key_1', '2026-03-01T09:00:00.000Z'), auth.revokeCredential('key_1', '2026-03-01T09:00:01.000Z')])
      expect(done.filter(Boolean)).toEqual([true])
    })
  })

  describe('audit', () => {
    const trail: AuditEntry[] = [
      entry({ at: '2026-03-01T07:59:59.999Z', target: null, detail: 'night' }),
      entry({ at: '2026-03-01T08:00:00.000Z', action: 'incident:assign', target: 'inc_12' }),
      entry({ at: '2026-03-01T12:00:00.000Z', actorKind: 'key', actorId: 'key_1', role: null, ip: null, via: 'socket', target: 'INC_1', result: 'deny' }),
      entry({ at: '2026-03-02T00:00:00.000Z', target: 'acc:inc_1', result: 'fail', detail: 'store full' }),
    ]
    beforeEach(async () => {
      for (const e of trail)
        await auth.appendAudit(e)
    })

    it('answers the trail newest first with ascending numeric ids', async () => {
      const all = await auth.queryAudit({ limit: 10 })
      expect(all.map(r => r.id)).toEqual([4, 3, 2, 1])
      expect(all).toEqual(trail.map((e, i) => ({ ...e, id: i + 1 })).reverse())
      expect(await auth.countAudit({})).toBe(4)
    })

    it('pages with limit and offset', async () => {
      expect((await auth.queryAudit({ limit: 2 })).map(r => r.id)).toEqual([4, 3])
      expect((await auth.queryAudit({ limit: 2, offset: 2 })).map(r => r.id)).toEqual([2, 1])
      expect((await auth.queryAudit({ limit: 2, offset: 3 })).map(r => r.id)).toEqual([1])
      expect(await auth.queryAudit({ limit: 2, offset: 9 })).toEqual([])
      expect(await auth.queryAudit({ limit: 0 })).toEqual([])
      // SQLite's reading of negative bounds: no limit, no offset.
      expect((await auth.queryAudit({ limit: -1, offset: -5 })).map(r => r.id)).toEqual([4, 3, 2, 1])
    })

    it('filters by time range: since and from inclusive, to exclusive', async () => {
      const ids = async (q: Parameters<AuthStore['countAudit']>[0]) => {
        const got = (await auth.queryAudit({ ...q, limit: 10 })).map(r => r.id)
        expect(await auth.countAudit(q)).toBe(got.length)
        return got
      }
      expect(await ids({ since: '2026-03-01T08:00:00.000Z' })).toEqual([4, 3, 2])
      expect(await ids({ from: '2026-03-01T08:00:00.000Z', to: '2026-03-02T00:00:00.000Z' })).toEqual([3, 2])
      expect(await ids({ since: '2026-03-01T12:00:00.000Z', from: '2026-03-01T08:00:00.000Z' })).toEqual([4, 3])
      // Compared as text, as SQLite does: "…00Z" sorts after "…00.000Z".
      expect(await ids({ since: '2026-03-01T08:00:00Z' })).toEqual([4, 3])
    })

    it('filters by actor, action and result exactly, and by a case-sensitive target substring', async () => {
      const ids = async (q: Parameters<AuthStore['countAudit']>[0]) => {
        const got = (await auth.queryAudit({ ...q, limit: 10 })).map(r => r.id)
        expect(await auth.countAudit(q)).toBe(got.length)
        return got
      }
      expect(await ids({ actorId: 'key_1' })).toEqual([3])
      expect(await ids({ actorId: 'acc' })).toEqual([])
      expect(await ids({ action: 'incident:assign' })).toEqual([2])
      expect(await ids({ result: 'fail' })).toEqual([4])
      expect(await ids({ target: 'inc_1' })).toEqual([4, 2])
      expect(await ids({ target: '%' })).toEqual([])
      expect(await ids({ target: 'inc_1', actorId: 'acc_1', from: '2026-03-01T09:00:00.000Z' })).toEqual([4])
      expect(await ids({ target: '' })).toEqual([4, 3, 2, 1])
    })
  })
})

describe('auth store on postgres only', () => {
  let t: TestSchema
  afterEach(() => t.drop())

  it('has SQLite\'s auth tables: the same columns, in order, equally nullable', async () => {
    t = await freshSchema(PG_CORE_DDL + PG_AUTH_DDL)
    const db = openConnection(':memory:', 1000)
    SQLITE_MIGRATIONS.forEach(sql => db.exec(sql))
    for (const table of ['accounts', 'sessions', 'share_links', 'credentials']) {
      const sqlite = (db.pragma(`table_info(${table})`) as { name: string, notnull: number, pk: number }[]).map(c => [c.name, c.notnull === 0 && c.pk === 0])
      const pg = await t.pool.query<{ column_name: string, is_nullable: string }>('SELECT column_name, is_nullable FROM information_schema.columns WHERE table_schema = $1 AND table_name = $2 ORDER BY ordinal_position', [t.schema, table])
      expect(pg.rows.map(c => [c.column_name, c.is_nullable === 'YES']), table).toEqual(sqlite)
    }
    db.close()
  })

  it('refuses to update or delete the audit trail', async () => {
    t = await freshSchema(PG_CORE_DDL + PG_AUTH_DDL)
    const auth = createPgAuth(t.pool)
    await auth.appendAudit(entry())
    await expect(t.pool.query('UPDATE audit SET result = \'deny\'')).rejects.toThrow(/audit is append-only/)
    await expect(t.pool.query('DELETE FROM audit')).rejects.toThrow(/audit is append-only/)
    expect((await auth.queryAudit({ limit: 10 })).map(r => r.result)).toEqual(['allow'])
  })

  it('orders and compares bytewise, as SQLite does, whatever the columns\' collation', async () => {
    t = await freshSchema(PG_CORE_DDL + PG_AUTH_DDL)
    // ICU's root order puts "a" before "B"; bytewise, "B" comes first.
    await t.pool.query('ALTER TABLE accounts ALTER COLUMN username TYPE TEXT COLLATE "und-x-icu"')
    const auth = createPgAuth(t.pool)
    for (const [i, username] of ['a', 'B', 'Z'].entries())
      await auth.createAccount(account({ id: `acc_${i}`, username }))
    expect((await auth.listAccounts()).map(a => a.username)).toEqual(['B', 'Z', 'a'])
    // The audit trail's times are declared bytewise in the table itself (the filters are SQLite's, unchanged).
    const at = await t.pool.query('SELECT collation_name FROM information_schema.columns WHERE table_schema = $1 AND table_name = \'audit\' AND column_name = \'at\'', [t.schema])
    expect(at.rows).toEqual([{ collation_name: 'C' }])
    for (const when of ['a', 'B', 'Z'])
      await auth.appendAudit(entry({ at: when }))
    expect((await auth.queryAudit({ since: 'C', limit: 10 })).map(r => r.at)).toEqual(['Z', 'a'])
    expect(await auth.countAudit({ from: 'C', to: 'b' })).toBe(2)
  })

  it('reports a server it cannot reach as the store being unavailable', async () => {
    t = await freshSchema()
    // Port 1 on loopback: nothing listens, the connection is refused.
    const nowhere = createPool({ url: 'postgres://postgres@127.0.0.1:1/postgres', schema: t.schema, max: 1 })
    try {
      const failure = await createPgAuth(nowhere).countAccounts().catch((e: unknown) => e)
      expect(failure).toBeInstanceOf(StoreUnavailableError)
      expect((failure as StoreUnavailableError).problem).toBe('cannot_open')
    }
    finally {
      await nowhere.end()
    }
  })
})
