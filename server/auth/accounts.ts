import type { KeyGrant } from '../../shared/auth/scopes.ts'
import type { Person, RoleKey } from '../../shared/territory/types.ts'
import type { AppContext } from '../context.ts'
import { createInterface } from 'node:readline/promises'
import { DEFAULT_KEY_GRANT } from '../../shared/auth/scopes.ts'
import { passwordProblem } from './passwords.ts'

/** Demo sign-ins, one per role, for the demo only (listed in the README). Password: `demo-<username>-2026`. */
export const DEMO_ROLES: readonly RoleKey[] = ['admin', 'commander', 'operator', 'sector_lead', 'post_staff', 'community_staff', 'grid_worker', 'force_member', 'leader', 'wall']
export const demoPassword = (username: string) => `demo-${username}-2026`
/** The demo integration key (Open311 / CAP senders): `Authorization: Bearer demo-integration-key`. */
export const DEMO_INTEGRATION_KEY = 'demo-integration-key'

/** The person each demo account acts as: the first one in the Cuntan data holding that role. */
function demoPerson(people: Person[], role: RoleKey): Person | undefined {
  if (role === 'community_staff')
    return people.find(p => p.roles.includes(role) && p.title !== '网格指导员') ?? people.find(p => p.roles.includes(role))
  return people.find(p => p.roles.includes(role))
}

async function seedDemo(ctx: AppContext): Promise<void> {
  const people = ctx.reference.org.people
  for (const role of DEMO_ROLES) {
    const person = role === 'admin' || role === 'wall' ? undefined : demoPerson(people, role)
    await ctx.auth.createAccount({
      username: role,
      password: demoPassword(role),
      name: person?.name ?? (role === 'admin' ? '系统管理员' : '演示大屏'),
      roles: [role],
      personId: person?.id ?? null,
    })
  }
  const { token } = await ctx.auth.createCredential('device', '指挥大厅演示大屏', ['wall'], 'system')
  await ctx.authStore.setMeta('demo_wall_token', token)
  // The demo's sender reports and sends warnings as before, and as the 12345 hotline marks and answers its own orders
  // and registers its callback (#16); it reads nothing of the live feed.
  const grant: KeyGrant = { scopes: [...DEFAULT_KEY_GRANT.scopes, 'hotline:sync', 'callbacks:manage'], communityIds: null }
  await ctx.auth.createCredential('key', '演示对接系统 (12345 / Open311 / CAP)', ['integration'], 'system', DEMO_INTEGRATION_KEY, null, grant)
}

async function askPassword(): Promise<string> {
  const rl = createInterface({ input: process.stdin, output: process.stdout })
  try {
    for (;;) {
      const pw = await rl.question('No admin account yet. Choose the admin password (≥ 10 characters): ')
      const problem = passwordProblem(pw)
      if (!problem)
        return pw
      console.log(problem)
    }
  }
  finally {
    rl.close()
  }
}

/**
 * First start: the demo gets one account per role; a real install gets an admin whose password comes from
 * ONESCREEN_ADMIN_PASSWORD or is asked for on the terminal. There is never a default password outside the demo.
 */
export async function ensureAccounts(ctx: AppContext, env: NodeJS.ProcessEnv = process.env): Promise<void> {
  if ((await ctx.authStore.countAccounts()) > 0)
    return
  if (ctx.config.demo)
    return seedDemo(ctx)
  let password = env.ONESCREEN_ADMIN_PASSWORD
  if (!password) {
    if (!process.stdin.isTTY)
      throw new Error('No admin account yet: set ONESCREEN_ADMIN_PASSWORD for the first start (or run it in a terminal to be asked).')
    password = await askPassword()
  }
  const problem = passwordProblem(password)
  if (problem)
    throw new Error(`ONESCREEN_ADMIN_PASSWORD: ${problem}`)
  await ctx.auth.createAccount({ username: 'admin', password, name: '系统管理员', roles: ['admin'] })
  console.log('Admin account created (username: admin).')
}
