import type { Browser } from 'playwright-core'
import type { TestApp } from '../helpers/app.ts'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildTestApp } from '../helpers/app.ts'
import { launchBrowser, watchPage } from '../helpers/browser.ts'

let t: TestApp
let url: string
let browser: Browser
beforeAll(async () => {
  t = await buildTestApp()
  url = await t.listen()
  browser = await launchBrowser()
})
afterAll(async () => {
  await browser?.close()
  await t.close()
})

describe('api docs page', () => {
  it('renders the API from this server under the app\'s CSP, with no request elsewhere', async () => {
    const page = await browser.newPage()
    const watch = await watchPage(page)
    const violations: string[] = []
    page.on('console', (msg) => {
      if (/Content Security Policy/i.test(msg.text()))
        violations.push(msg.text())
    })
    await page.goto(`${url}/docs`)
    await page.getByText('OneScreen 一屏统揽 API').first().waitFor({ timeout: 15_000 })
    await page.locator('.opblock-tag', { hasText: 'incident' }).first().waitFor()
    expect(await page.getByText('change:batch').count()).toBeGreaterThan(0)
    expect(violations).toEqual([])
    expect(watch.foreignRequests).toEqual([])
    expect(watch.errors).toEqual([])
  })
})
