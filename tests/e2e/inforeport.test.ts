import type { InfoReport } from '../../shared/inforeport/schema.ts'
import type { DeskServer } from './desk-helpers.ts'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { authed, signIn } from '../helpers/auth.ts'
import { deskServer, SHOTS } from './desk-helpers.ts'

// The duty desk drafts the 初报, signs it and sends it by export; the report is then sent, and the next 续报's
// clock runs.

describe('the desk\'s information reports', () => {
  let s: DeskServer

  beforeAll(async () => {
    s = await deskServer()
    const commander = await signIn(s.server.url, 'commander')
    expect((await authed(`${s.server.url}/api/wartime/declare`, commander, { body: { reason: '暴雨红色预警', planId: 'rainstorm-red' } })).status).toBe(201)
    expect((await authed(`${s.server.url}/api/wartime/activate`, commander, { body: { planId: 'rainstorm-red' } })).status).toBe(200)
  }, 300_000)
  afterAll(() => s?.close())

  it('drafts, signs and sends the 初报 from the desk', async () => {
    const { context, page, watch } = await s.open()
    await context.addCookies([{ name: 'os_sid', value: s.operator.cookie.split('=')[1]!, url: s.server.url }])
    await page.goto(`${s.server.url}/desk`)
    await page.getByTestId('view-reports').click({ timeout: 30_000 })
    // The clock opens the 初报 within a tick (5 s) of the declaration.
    await page.getByTestId('report-item').first().waitFor({ timeout: 15_000 })
    expect(await page.getByTestId('report-item').first().getAttribute('data-state')).toBe('waiting')
    await page.getByTestId('report-draft').click()
    await page.locator('[data-field="reporter"]').fill('李值班')
    await page.locator('[data-field="signer"]').fill('王主任')
    await page.locator('[data-field="evacuated"]').fill('120')
    await expect.poll(() => page.getByTestId('report-preview').textContent()).toContain('报告人：李值班')
    await page.getByTestId('report-send-export').click()
    await page.getByTestId('report-send-export').click() // the second press sends
    await expect.poll(() => page.getByTestId('report-editor').getAttribute('data-state')).toBe('sent')
    await page.screenshot({ path: `${SHOTS}/desk-inforeport-1440.png` })
    const { reports } = await (await authed(`${s.server.url}/api/inforeports`, s.operator)).json() as { reports: InfoReport[] }
    expect(reports.map(r => [r.kind, r.state])).toEqual([['initial', 'sent'], ['follow_up', 'due']])
    expect(reports[0]!.fields).toMatchObject({ reporter: '李值班', signer: '王主任', evacuated: 120 })
    expect(reports[0]!.text).toContain('六、转移安置：120人')
    expect(watch.errors).toEqual([])
  }, 120_000)
})
