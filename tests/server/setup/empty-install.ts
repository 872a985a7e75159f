import type { PackageFile } from '../../../server/setup/codec/index.ts'
import type { AuthHeaders } from '../../helpers/app.ts'
import path from 'node:path'
import { buildApp } from '../../../server/app.ts'
import { ensureAccounts } from '../../../server/auth/accounts.ts'
import { SESSION_COOKIE } from '../../../server/auth/plugin.ts'
import { createContext } from '../../../server/context.ts'
import { createSqliteStore } from '../../../server/db/sqlite/store.ts'
import { testConfig } from '../../helpers/app.ts'
import { folder } from './helpers.ts'

export const ADMIN_PASSWORD = 'setup-admin-2026!'
export const JIALING_DIR = path.join(import.meta.dirname, '../../fixtures/packages/jialing')

/** An install started with ONESCREEN_DEMO=0: no package, one admin account (its password from the environment). */
export async function emptyInstall() {
  const store = createSqliteStore({ file: ':memory:' })
  const ctx = await createContext(testConfig({ demo: false }), { store })
  await ensureAccounts(ctx, { ONESCREEN_ADMIN_PASSWORD: ADMIN_PASSWORD })
  const { app } = await buildApp(ctx)
  const login = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'admin', password: ADMIN_PASSWORD } })
  const cookie = login.cookies.find(c => c.name === SESSION_COOKIE)!
  const admin: AuthHeaders = { 'cookie': `${SESSION_COOKIE}=${cookie.value}`, 'x-csrf-token': login.json().csrf }
  return {
    ctx,
    app,
    admin,
    async close() {
      await app.close()
      ctx.presence.close()
      await store.close()
    },
  }
}

/** The upload body the setup page sends for these files. */
export function upload(files: PackageFile[], extra: Record<string, unknown> = {}) {
  return { files: files.map(f => ({ name: f.name, data: f.data.toString('base64') })), ...extra }
}

export const jialingFiles = (): PackageFile[] => folder(JIALING_DIR)
