import type { Page } from 'playwright-core'
import type { DeskServer } from './desk-helpers.ts'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { demoPassword } from '../../server/auth/accounts.ts'
import { authed, signIn } from '../helpers/auth.ts'
import { deskServer, incidentOf, SHOTS } from './desk-helpers.ts'
import { insideGrid } from './wall-helpers.ts'

const SOON = { timeout: 15_000 }
const ORDER = 'GD2026120700012'

// A 12345 order on the operator's desk: the hotline (a key with hotline:sync) sends it and marks it 督办; the desk
// sees the panel and the badge, writes the reply and asks for more days.
describe('the desk\'s 12345 panel', () => {
  let s: DeskServer
  let page: Page
  let id: string
  let key: Record<string, string>

  beforeAll(async () => {
    s = await deskServer()
    const admin = await signIn(s.server.url, 'admin')
    const made = await authed(`${s.server.url}/api/api-keys`, admin, { body: { name: '12345', scopes: ['incidents:report', 'hotline:sync'] } })
    key = { 'authorization': `Bearer ${((await made.json()) as { token: string }).token}`, 'content-type': 'application/json' }
    const body = { category: 'noise', description: '来电反映：夜间施工噪音扰民', location: insideGrid(s.inside[0]!), hotline: { orderNo: ORDER, caller: '王女士', callerPhone: '13800000012', dueAt: new Date(Date.now() + 3 * 86_400_000).toISOString() } }
    id = ((await (await fetch(`${s.server.url}/api/incidents`, { method: 'POST', headers: key, body: JSON.stringify(body) })).json()) as { id: string }).id
    const marked = await fetch(`${s.server.url}/api/hotline/orders/${ORDER}/marks`, { method: 'POST', headers: key, body: JSON.stringify({ kind: 'supervise', note: '市民多次来电' }) })
    expect(marked.status).toBe(200)
    ;({ page } = await s.open())
    await page.goto(`${s.server.url}/desk`)
    const res = await page.request.post(`${s.server.url}/api/auth/login`, { data: { username: 'operator', password: demoPassword('operator') } })
    expect(res.ok()).toBe(true)
  }, 240_000)

  afterAll(() => s?.close())

  it('shows the order, its caller, deadline and 督办 mark, and the badge on the queue row', async () => {
    await page.goto(`${s.server.url}/desk?id=${id}`)
    await page.getByTestId('desk-hotline').waitFor(SOON)
    expect(await page.getByTestId('hotline-order-no').textContent()).toContain(ORDER)
    expect(await page.getByTestId('hotline-caller').textContent()).toContain('13800000012')
    expect(await page.getByTestId('hotline-due').getAttribute('data-late')).toBe('false')
    expect(await page.getByTestId('hotline-marks').textContent()).toContain('市民多次来电')
    await page.locator(`[data-testid="queue-item"][data-id="${id}"] [data-testid="badge-supervise"]`).waitFor(SOON)
  })

  it('saves the reply and asks for two more days, each a step of the incident', async () => {
    await page.getByTestId('hotline-reply').fill('已协调施工单位夜间停工')
    await page.getByTestId('hotline-save-reply').click()
    await expect.poll(async () => (await incidentOf(s.server.url, s.operator, id)).hotline?.replyText, SOON).toBe('已协调施工单位夜间停工')
    await page.getByTestId('hotline-ask-extension').click()
    await page.getByTestId('hotline-days').fill('2')
    await page.getByTestId('hotline-reason').fill('需协调施工单位')
    await page.getByTestId('hotline-ask-confirm').click()
    await page.locator('[data-testid="hotline-requests"] li[data-status="pending"]').waitFor(SOON)
    const inc = await incidentOf(s.server.url, s.operator, id)
    expect(inc.hotline!.requests).toMatchObject([{ kind: 'extension', days: 2, reason: '需协调施工单位', status: 'pending' }])
    expect(inc.history.filter(e => e.action === 'hotline').map(e => e.data?.op)).toEqual(['mark', 'reply', 'request_extension'])
    // One request at a time: asking again waits for the hotline's answer.
    expect(await page.getByTestId('hotline-ask-return').isDisabled()).toBe(true)
    await page.getByTestId('desk-hotline').screenshot({ path: `${SHOTS}/desk-hotline.png` })
  })
})
