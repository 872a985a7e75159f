import type { Browser, BrowserContext, Page } from 'playwright-core'
import type { Principal } from '../../shared/auth/authz.ts'
import type { QueueAnswer } from '../../shared/desk/schema.ts'
import type { ActionKind, IncidentWithHistory } from '../../shared/incident/schema.ts'
import type { AuthHeaders } from '../helpers/app.ts'
import type { PageWatch } from '../helpers/browser.ts'
import type { RunningServer } from '../helpers/server.ts'
import type { GridFeature } from './wall-helpers.ts'
import { mkdirSync } from 'node:fs'
import { authorizeIncident } from '../../shared/auth/authz.ts'
import { allowedActionsFor } from '../../shared/incident/lifecycle.ts'
import { authed, signIn } from '../helpers/auth.ts'
import { launchBrowser, watchPage } from '../helpers/browser.ts'
import { startServer } from '../helpers/server.ts'
import { ensureClientBuilt } from './client-build.ts'

export const SHOTS = 'artifacts/screenshots'
export const DESK_ROLES = ['admin', 'commander', 'operator', 'sector_lead', 'post_staff', 'community_staff'] as const

export interface Desk { context: BrowserContext, page: Page, watch: PageWatch }

export interface DeskServer {
  server: RunningServer
  browser: Browser
  operator: AuthHeaders
  staff: AuthHeaders
  /** The demo community staff's community, its grids and the grids of the others. */
  community: string
  inside: GridFeature[]
  outside: GridFeature[]
  open: () => Promise<Desk>
  close: () => Promise<void>
}

/** The real server (no simulator) and Chromium with a desk-sized window, 1440×900, Chinese. */
export async function deskServer(): Promise<DeskServer> {
  mkdirSync(SHOTS, { recursive: true })
  await ensureClientBuilt()
  const server = await startServer()
  const operator = await signIn(server.url, 'operator')
  const staff = await signIn(server.url, 'community_staff')
  const me = await (await authed(`${server.url}/api/auth/me`, staff)).json() as { principal: Principal }
  const territory = await (await authed(`${server.url}/api/territory`, operator)).json() as { grids: { features: (GridFeature & { properties: { communityId: string } })[] } }
  const community = me.principal.communityId!
  const browser = await launchBrowser()
  const contexts: BrowserContext[] = []
  return {
    server,
    browser,
    operator,
    staff,
    community,
    inside: territory.grids.features.filter(g => g.properties.communityId === community),
    outside: territory.grids.features.filter(g => g.properties.communityId !== community),
    async open() {
      const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN' })
      contexts.push(context)
      const watch = await watchPage(context)
      return { context, page: await context.newPage(), watch }
    },
    async close() {
      await browser.close()
      await server.stop()
    },
  }
}

export async function queueOf(url: string, auth: AuthHeaders, query: string): Promise<QueueAnswer> {
  const res = await authed(`${url}/api/desk/queue?${query}`, auth)
  if (res.status !== 200)
    throw new Error(`queue ${query}: ${res.status} ${await res.text()}`)
  return await res.json() as QueueAnswer
}

export async function incidentOf(url: string, auth: AuthHeaders, id: string): Promise<IncidentWithHistory> {
  return await (await authed(`${url}/api/incidents/${id}`, auth)).json() as IncidentWithHistory
}

/** The ids of the queue items on screen, in order. */
export function shownIds(page: Page): Promise<string[]> {
  return page.locator('[data-testid="queue-item"]').evaluateAll(els => els.map(e => e.getAttribute('data-id')!))
}

/** The action buttons on the detail pane, as action kinds (verification failure is a return), sorted. */
export async function shownActions(page: Page): Promise<string[]> {
  const ids = await page.getByTestId('desk-actions').locator('button[data-testid^="act-"]').evaluateAll(els => els.map(e => e.getAttribute('data-testid')!))
  return ids.filter(id => id !== 'act-assign-routed' && id !== 'act-accept-assign').map(id => id === 'act-verify-fail' ? 'return' : id.slice(4)).sort()
}

/** What the shared rule says this principal may do on the incident now, sorted. */
export function expectedActions(p: Principal, inc: IncidentWithHistory): ActionKind[] {
  // The 12345 op is the order's panel (DeskHotline.vue), not a button of the action bar.
  return allowedActionsFor(inc).filter(a => a !== 'report' && a !== 'hotline' && authorizeIncident(p, a, inc.owner).allow).sort()
}
