// The two sides bench/wall-reaction.ts times: the real wall on the real server, and a bare Socket.IO page
// fed the same payloads.
import type { Browser, BrowserContext, Page } from 'playwright-core'
import type { Result } from '../../shared/kernel/result.ts'
import type { Change, IncidentChange } from '../../shared/sync/schema.ts'
import { createServer } from 'node:http'
import { Server } from 'socket.io'
import { INTERNAL } from '../../server/audit/service.ts'
import { demoPassword } from '../../server/auth/accounts.ts'
import { JULY_RAINSTORM_PLAN } from '../../shared/wartime/default-plans.ts'
import { matchPlan } from '../../shared/wartime/plans.ts'
import { hooks } from '../../tests/e2e/wall-helpers.ts'
import { benchCall, reportBody } from './common.ts'
import { startWallApp } from './wall-app.ts'

export interface ReactionSide {
  page: Page
  /** pageClock − benchClock, ms. */
  offset: number
  /** Tasks one activation creates. */
  tasks: number
  errors: string[]
  report: (text: string) => Promise<void>
  /** Untimed: what has to happen before a plan can be activated. */
  declare: () => Promise<void>
  activate: () => Promise<void>
  /** Untimed, after a report: the page has finished its work. */
  settle: () => Promise<void>
  /** Untimed, after an activation: back to peacetime. */
  reset: () => Promise<void>
  close: () => Promise<void>
}

/** What the app committed for a report and an activation, for the bare side to send. */
export interface Batches { report: IncidentChange, activation: Change[] }

async function wallContext(browser: Browser, watch: string): Promise<{ context: BrowserContext, page: Page }> {
  const context = await browser.newContext({ viewport: { width: 1920, height: 1080 }, locale: 'zh-CN' })
  await context.addInitScript({ content: watch })
  return { context, page: await context.newPage() }
}

export async function appSide(browser: Browser, watch: string): Promise<ReactionSide & { planName: string, batches: () => Batches }> {
  const wall = await startWallApp('reaction')
  const { ctx } = wall
  const commander = (await ctx.auth.login('commander', demoPassword('commander')))!
  const call = { principal: commander.principal, origin: INTERNAL }
  const plan = JULY_RAINSTORM_PLAN
  const errors: string[] = []
  const must = (what: string, res: Result<unknown>) => {
    if (!res.ok && errors.length < 5)
      errors.push(`${what} refused: ${res.code} ${res.message}`)
  }
  let report: IncidentChange | null = null
  let activation: Change[] | null = null
  ctx.store.onCommit((changes) => {
    if (changes.some(c => c.kind === 'operation' && c.action === 'activate'))
      activation ??= [...changes]
    else if (changes[0]?.kind === 'incident' && changes[0].action === 'report')
      report ??= changes[0]
  })
  const { context, page } = await wallContext(browser, watch)
  await page.goto(wall.url)
  await page.getByTestId('connection-state').and(page.locator('[data-state="connected"]')).waitFor({ timeout: 60_000 })
  await hooks(page).mapReady(120_000)
  let n = 0
  return {
    page,
    offset: 0,
    tasks: matchPlan(plan, ctx.reference).length,
    errors,
    planName: plan.name,
    async report(text) {
      n++
      must('report', await ctx.incidents.report(reportBody(ctx, n, text), benchCall(`reaction:${n}`)))
    },
    async declare() {
      must('declare', await ctx.wartime.declare(call, { reason: 'bench', planId: plan.id }))
    },
    async activate() {
      must('activate', await ctx.wartime.activate(call, { planId: plan.id }))
    },
    settle: async () => void await hooks(page).idle(),
    async reset() {
      must('end', await ctx.wartime.end(call, { reason: 'bench' }))
      await page.getByTestId('wartime-layout').waitFor({ state: 'detached', timeout: 30_000 })
      await hooks(page).idle()
    },
    batches() {
      if (!report || !activation)
        throw new Error('the app side has not reported and activated yet')
      return { report, activation }
    },
    async close() {
      await context.close()
      await wall.close()
    },
  }
}

/** A page that does the least a screen can: each change's description into a list, an activation's size onto a board. */
const BARE_PAGE = `<!doctype html>
<html lang="zh-CN"><meta charset="utf-8"><title>bare</title>
<ul id="feed"></ul><div id="board" data-testid="board-ack"></div>
<script src="/socket.io/socket.io.min.js"></script>
<script>
  const feed = document.getElementById('feed')
  const board = document.getElementById('board')
  const socket = io({ transports: ['websocket'] })
  socket.on('connect', () => { window.__connected = true })
  socket.on('change:batch', (changes) => {
    if (changes.some(c => c.kind === 'operation')) {
      board.textContent = '0/' + changes.filter(c => c.kind === 'task').length
      return
    }
    for (const c of changes) {
      const li = document.createElement('li')
      li.dataset.testid = 'feed-desc'
      li.textContent = c.data.description
      feed.prepend(li)
    }
  })
</script>
</html>`

export async function bareSide(browser: Browser, watch: string, batches: Batches): Promise<ReactionSide> {
  const http = createServer((req, res) => {
    res.writeHead(req.url === '/' ? 200 : 404, { 'content-type': 'text/html; charset=utf-8' })
    res.end(req.url === '/' ? BARE_PAGE : '')
  })
  const io = new Server(http, { serveClient: true, pingInterval: 5000, pingTimeout: 4000 })
  await new Promise<void>(resolve => http.listen(0, '127.0.0.1', resolve))
  const addr = http.address()
  const { context, page } = await wallContext(browser, watch)
  await page.goto(`http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}/`)
  await page.waitForFunction(() => (globalThis as unknown as { __connected?: boolean }).__connected === true)
  let seq = 0
  return {
    page,
    offset: 0,
    tasks: batches.activation.filter(c => c.kind === 'task').length,
    errors: [],
    async report(text) {
      const c = batches.report
      io.emit('change:batch', [{ ...c, seq: ++seq, data: { ...c.data, description: text } }])
    },
    declare: async () => {},
    async activate() {
      io.emit('change:batch', batches.activation)
    },
    settle: async () => {},
    reset: async () => void await page.evaluate('document.getElementById("board").textContent = ""'),
    async close() {
      await context.close()
      io.disconnectSockets(true)
      await io.close()
    },
  }
}
