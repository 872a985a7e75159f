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
]

export function hasChromium(): boolean {
  return existsSync(CHROMIUM)
}

export async function launchBrowser(): Promise<Browser> {
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
  pages.forEach(attach)
  if ('pages' in target)
    target.on('page', attach)
  return watch
}
