import { chromium } from 'playwright-core'
import { startServer } from '../tests/helpers/server.ts'
import { ensureClientBuilt } from '../tests/e2e/client-build.ts'
import { demoPassword } from '../server/auth/accounts.ts'
await ensureClientBuilt()
const server = await startServer({ env: { ONESCREEN_SIMULATE: '1', ONESCREEN_SIM_SPEED: '20' } })
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--use-gl=swiftshader', '--ignore-gpu-blocklist'] })
const shots = process.argv.slice(2)
for (const spec of shots) {
  const [user, path, view, w, h] = spec.split(',')
  const ctx = await browser.newContext({ viewport: { width: Number(w ?? 1440), height: Number(h ?? 900) }, locale: 'zh-CN', deviceScaleFactor: 1 })
  const page = await ctx.newPage()
  await page.goto(server.url + '/desk')
  if (user !== 'none') {
    const res = await page.request.post(server.url + '/api/auth/login', { data: { username: user, password: demoPassword(user) } })
    if (!res.ok()) throw new Error('login ' + res.status())
  }
  await page.goto(server.url + path)
  await page.waitForTimeout(4000)
  if (view) { await page.getByTestId(view).click(); await page.waitForTimeout(1500) }
  await page.screenshot({ path: `/tmp/shots/${user}-${path.replace(/\W/g, '_')}-${view ?? ''}.png` })
  await ctx.close()
}
await browser.close()
await server.stop()
