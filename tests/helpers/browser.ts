import type { Browser, BrowserContext, Page } from 'playwright-core'
import { existsSync } from 'node:fs'
import { chromium } from 'playwright-core'

/** The system's Chromium: CHROMIUM_PATH, else the first of the usual places. */
const SYSTEM_CHROMIUM = process.env.CHROMIUM_PATH ?? ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'].find(p => existsSync(p)) ?? '/usr/bin/chromium'

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

/**
 * The fallback when the system has no Chromium: the headless shell `@sparticuz/chromium` ships inside its npm
 * package (a devDependency, so `npm install` brings it), unpacked to the temp directory on first use. It carries its
 * own SwiftShader, so MapLibre's WebGL renders as with Debian's.
 */
async function packagedChromium(): Promise<{ path: string, args: string[] }> {
  const { default: packaged } = await import('@sparticuz/chromium')
  // Not the package's own flag set: it is for one-shot serverless runs (--single-process closes the browser with its
  // first context; --disable-web-security). Ours, with its SwiftShader named.
  return { path: await packaged.executablePath(), args: [...CHROMIUM_ARGS, '--use-gl=angle', '--use-angle=swiftshader'] }
}

let chosen: Promise<{ path: string, args: string[] }> | null = null

/** The Chromium the browser tests drive: the system's, else the packaged one; a missing one fails with the fix. */
export function chromiumToUse(): Promise<{ path: string, args: string[] }> {
  chosen ??= existsSync(SYSTEM_CHROMIUM)
    ? Promise.resolve({ path: SYSTEM_CHROMIUM, args: CHROMIUM_ARGS })
    : packagedChromium().catch((err: Error) => {
        throw new Error(`no Chromium at ${SYSTEM_CHROMIUM} and the packaged one failed (${err.message}): apt-get install -y --no-install-recommends chromium, or npm install, or set CHROMIUM_PATH`)
      })
  return chosen
}

/** Launches Chromium; browser tests are never skipped. */
export async function launchBrowser(): Promise<Browser> {
  const { path, args } = await chromiumToUse()
  return chromium.launch({ executablePath: path, args })
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
