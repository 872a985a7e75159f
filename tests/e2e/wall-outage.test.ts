import type { Wall } from './wall-helpers.ts'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startServer } from '../helpers/server.ts'
import { reportToStore } from './store-report.ts'
import { closeWall, insideGrid, openWall, SOON } from './wall-helpers.ts'

describe('the wall through a server outage', () => {
  let wall: Wall

  beforeAll(async () => {
    // The banner and the feed do not depend on the screen's size: a quarter of the pixels to draw in software.
    wall = await openWall({ viewport: { width: 960, height: 540 } })
  }, 180_000)

  afterAll(() => closeWall(wall))

  it('says the feed is interrupted when the server stops, and catches up when it is back', async () => {
    const { page, port } = wall
    const dataDir = wall.server.dataDir
    await wall.server.stop()
    await page.getByTestId('feed-banner').waitFor(SOON)
    expect(await page.getByTestId('feed-banner').textContent()).toContain('连接中断')
    // While the wall is cut off, a report lands in the store from another process.
    const missed = `断线期间上报 ${Date.now()}`
    await reportToStore(dataDir, { category: 'garbage', description: missed, location: insideGrid(wall.grids[3]!) })
    wall.server = await startServer({ dataDir, port })
    await page.getByTestId('feed-banner').waitFor({ state: 'detached', timeout: 30_000 })
    await page.getByTestId('feed-desc').filter({ hasText: missed }).waitFor(SOON)
    // The outage makes Chromium log the refused reconnection attempts; nothing else may appear.
    expect(wall.watch.errors.filter(e => !/ERR_CONNECTION_REFUSED|502|503/.test(e))).toEqual([])
    expect(wall.watch.foreignRequests).toEqual([])
  }, 90_000)
})
