import type { Operation } from '../../shared/wartime/schema.ts'
import type { DeskServer } from './desk-helpers.ts'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { authed, signIn } from '../helpers/auth.ts'
import { deskServer, SHOTS } from './desk-helpers.ts'
import { signInContext } from './phone-helpers.ts'
import { SOON } from './wall-helpers.ts'

// An exercise on the desk: the header says so while it runs; once ended, its after-action report is listed with
// its downloads.
describe('the desk\'s past operations', () => {
  let s: DeskServer
  beforeAll(async () => {
    s = await deskServer()
  }, 300_000)
  afterAll(() => s?.close())

  it('marks a running exercise, then lists its report to download', async () => {
    const commander = await signIn(s.server.url, 'commander')
    const declared = await authed(`${s.server.url}/api/wartime/declare`, commander, { body: { reason: '汛期演练', exercise: true } })
    expect(declared.status).toBe(201)
    const op = await declared.json() as Operation
    const { context, page, watch } = await s.open()
    await signInContext(context, s.server.url, 'operator')
    await page.goto(`${s.server.url}/desk`)
    await page.getByTestId('exercise-badge').waitFor(SOON)
    expect(await page.getByTestId('exercise-badge').textContent()).toContain('演练')
    expect((await authed(`${s.server.url}/api/wartime/end`, commander, { body: { reason: '演练结束' } })).status).toBe(200)
    await page.getByTestId('exercise-badge').waitFor({ ...SOON, state: 'detached' })

    await page.getByTestId('view-operations').click()
    const row = page.getByTestId(`operation-${op.id}`)
    await row.waitFor(SOON)
    expect(await row.textContent()).toContain('演练')
    const href = await row.getByTestId('report-xlsx').getAttribute('href')
    const file = await context.request.get(`${s.server.url}${href}`)
    expect(file.status()).toBe(200)
    expect(file.headers()['content-disposition']).toContain(`exercise-${op.id}.xlsx`)
    await page.screenshot({ path: `${SHOTS}/desk-operations.png` })
    expect(watch.errors).toEqual([])
  }, 60_000)
})
