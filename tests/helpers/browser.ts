import type { Browser, BrowserContext, Page } from 'playwright-core'
import { existsSync } from 'node:fs'
import { chromium } from 'playwright-core'

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'

/** The flags verified in STACK-NOTES: software WebGL (MapLibre), no network of Chromium's own. */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--enable-unsafe-swiftshader',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  // A command-hall kiosk lets the alarm sound without a click first; so do the tests.
  '--autoplay-policy=no-user-gesture-required',
]

export function hasChromium(): boolean {
  return existsSync(CHROMIUM)
}

/** Launches Debian's Chromium; browser tests are never skipped, so a missing one fails with the fix. */
export async function launchBrowser(): Promise<Browser> {
  if (!hasChromium())
    throw new Error(`no Chromium at ${CHROMIUM}: apt-get install -y --no-install-recommends chromium (or set CHROMIUM_PATH)`)
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS })
}

const LOCAL_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]', '::1'])

export interface PageWatch {
  /** console.error messages and uncaught page errors. */
  errors: string[]
  /** Every request to a host that is not this machine (the wall must work on a closed network). */
  foreignRequests: string[]
}

/**
 * Records what a page must never do: log errors, throw, or reach beyond the local machine.
 * Foreign requests are aborted, so a test fails on them rather than hanging on a closed network.
 */
export async function watchPage(target: Page | BrowserContext): Promise<PageWatch> {
  const watch: PageWatch = { errors: [], foreignRequests: [] }
  await target.route('**/*', (route) => {
    const url = new URL(route.request().url())
    const local = url.protocol === 'data:' || url.protocol === 'blob:' || LOCAL_HOSTS.has(url.hostname)
    if (local)
      return route.continue()
    watch.foreignRequests.push(url.href)
    return route.abort()
  })
  const pages = 'pages' in target ? target.pages() : [target]
  const attach = (page: Page) => {
    page.on('console', (msg) => {
      if (msg.type() === 'error')
        watch.errors.push(msg.text())
    })
    page.on('pageerror', err => watch.errors.push(`pageerror: ${err.message}`))
  }
  const attachResponses = (page: Page) => page.on('response', (res) => {
    // Chromium logs a failed load without its URL; record which one it was.
    if (res.status() >= 400)
      watch.errors.push(`HTTP ${res.status()} ${res.request().method()} ${res.url()}`)
  })
  pages.forEach(attach)
  pages.forEach(attachResponses)
  if ('pages' in target) {
    target.on('page', attach)
    target.on('page', attachResponses)
  }
  return watch
}
