import type { DrillOptions } from '../server/drill/run.ts'
// `npm run drill [-- --url http://host:port] [--responders N] [--speed S] [--seed X] [--offline 0.15] [--out dir]`
// Plays the July rainstorm drill. With no --url it starts its own server (temporary store, demo accounts,
// no simulator, the notification ladder on, SMS to a loopback SMSC where `--offline` responders' simulated
// handsets read them) and stops it at the end. Exit code 0 when no task was lost.
// On a real install: `--url … --user <commander> [--password …] [--operator-user …] [--plan <id>] [--group <id>]`
// (passwords may come from ONESCREEN_DRILL_PASSWORD, ONESCREEN_DRILL_OPERATOR_PASSWORD, ONESCREEN_DRILL_ADMIN_PASSWORD).
// Without --admin-user the group's own phones answer (speed 1) and the report is the server's after-action report.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { buildApp } from '../server/app.ts'
import { ensureAccounts } from '../server/auth/accounts.ts'
import { configFromEnv } from '../server/config.ts'
import { createContext } from '../server/context.ts'
import { summaryLines } from '../server/drill/report.ts'
import { runDrill } from '../server/drill/run.ts'
import { startNotifyClock } from '../server/notify/clock.ts'
import { startTestSmsc } from '../server/notify/test-smsc.ts'

const { values: args } = parseArgs({
  options: {
    'url': { type: 'string' },
    'responders': { type: 'string' },
    'speed': { type: 'string' },
    'seed': { type: 'string' },
    'out': { type: 'string', default: 'artifacts/drill' },
    'user': { type: 'string' },
    'password': { type: 'string' },
    'operator-user': { type: 'string' },
    'operator-password': { type: 'string' },
    'admin-user': { type: 'string' },
    'admin-password': { type: 'string' },
    'plan': { type: 'string' },
    'group': { type: 'string' },
    'cap-minutes': { type: 'string' },
    'offline': { type: 'string' },
  },
})

/** The accounts named on the command line (a real install), or none (the demo's). */
function logins(): DrillOptions['login'] {
  if (!args.user)
    return undefined
  const login = (prefix: '' | 'operator-' | 'admin-', env: string) => {
    const user = args[`${prefix}user`]
    if (!user)
      return undefined
    const password = args[`${prefix}password`] ?? process.env[env]
    if (!password)
      throw new Error(`--${prefix}password (or ${env}) is needed for ${user}`)
    return { username: user, password }
  }
  return {
    commander: login('', 'ONESCREEN_DRILL_PASSWORD')!,
    operator: login('operator-', 'ONESCREEN_DRILL_OPERATOR_PASSWORD'),
    admin: login('admin-', 'ONESCREEN_DRILL_ADMIN_PASSWORD'),
  }
}

function positive(name: string, v: string | undefined): number | undefined {
  if (v === undefined)
    return undefined
  const n = Number(v)
  if (!Number.isFinite(n) || n <= 0)
    throw new Error(`--${name} wants a positive number, got "${v}"`)
  return n
}

/** The server as server/index.ts builds it, on a temporary data directory, on a free loopback port. */
async function ownServer(responders: number) {
  const dataDir = mkdtempSync(join(tmpdir(), 'onescreen-drill-'))
  const smsc = await startTestSmsc()
  const config = configFromEnv({
    ...process.env,
    ONESCREEN_DATA_DIR: dataDir,
    ONESCREEN_DEMO: '1',
    ONESCREEN_SIMULATE: '0',
    ONESCREEN_STATIC_DIR: '',
    HOST: '127.0.0.1',
    PORT: '0',
    // Every simulated phone signs in from this one address within a minute.
    ONESCREEN_LOGIN_PER_MIN: String(Math.max(60, responders * 2)),
    // The ladder's SMS go to a loopback SMSC (the offline responders' handsets read them there).
    ONESCREEN_SMS: smsc.url,
    ONESCREEN_NOTIFY_MS: '250',
  })
  const ctx = await createContext(config)
  await ensureAccounts(ctx)
  const { app } = await buildApp(ctx)
  // The ladder's clock: the re-sends and escalations, then push, SMS and supervisors.
  const stopLadder = startNotifyClock(ctx)
  await app.listen({ port: 0, host: config.host })
  const addr = app.server.address()
  const url = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`
  ctx.notify.setPublicUrl(url)
  return {
    url,
    smsc,
    async stop() {
      stopLadder()
      await ctx.notify.close()
      await smsc.close()
      ctx.presence.close()
      await app.close()
      await ctx.store.close()
      rmSync(dataDir, { recursive: true, force: true })
    },
  }
}

async function main(): Promise<number> {
  const responders = positive('responders', args.responders)
  const speed = positive('speed', args.speed)
  if (args.user && !args.url)
    throw new Error('--user is for a real install: give its --url')
  const offline = args.offline === undefined ? 0.15 : Number(args.offline)
  if (!(offline >= 0 && offline <= 1))
    throw new Error(`--offline wants a share between 0 and 1, got "${args.offline}"`)
  const server = args.url ? null : await ownServer(responders ?? 200)
  const url = args.url ?? server!.url
  console.log(`演练开始：${url}${server ? '（自带服务器，临时数据目录）' : ''}`)
  if (!server && args.offline !== undefined)
    console.log('  --offline 只用于自带服务器（其短信发往本机测试短信中心）；对 --url 的服务器不模拟离线人员')
  const t0 = performance.now()
  try {
    const cap = positive('cap-minutes', args['cap-minutes'])
    const report = await runDrill({ url, responders, speed, seed: args.seed, out: args.out, login: logins(), planId: args.plan, group: args.group, capMs: cap && cap * 60_000, log: line => console.log(`  ${line}`), offline: server && offline > 0 ? { smsc: server.smsc, share: offline } : undefined })
    console.log('\n时间线（相对点击，秒）')
    for (const e of report.timeline)
      console.log(`  ${e.ms === null ? '     ' : (e.ms / 1000).toFixed(1).padStart(6)}  ${e.source === 'operation' ? '[作战]' : '[演练]'} ${e.text}`)
    console.log('\n演练结果')
    for (const line of summaryLines(report))
      console.log(`  ${line}`)
    if (report.files)
      console.log(`\n复盘报告：${report.files.html}\n          ${report.files.xlsx}`)
    console.log(`\n${report.ok ? '通过' : '未通过'}（${((performance.now() - t0) / 1000).toFixed(0)} 秒）`)
    return report.ok ? 0 : 1
  }
  finally {
    await server?.stop()
  }
}

main().then(code => process.exit(code), (e: unknown) => {
  console.error('演练失败：', e)
  process.exit(1)
})
