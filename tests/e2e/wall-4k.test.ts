import type { Wall } from './wall-helpers.ts'
import { mkdirSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { closeWall, hooks, openWall, SOON } from './wall-helpers.ts'

const SHOTS = 'artifacts/screenshots'

describe('the wall on a 4K screen', () => {
  let wall: Wall

  beforeAll(async () => {
    // Software WebGL at 3840×2160 is slow on a busy 2-core machine.
    wall = await openWall({ reports: 8, viewport: { width: 3840, height: 2160 }, mapTimeout: 90_000 })
  }, 180_000)

  afterAll(() => closeWall(wall))

  it('scales the 1920×1080 stage by two, and leaves a screenshot with no console error or foreign request', async () => {
    const { page } = wall
    await expect.poll(() => page.getByTestId('closure-rate').textContent(), SOON).toMatch(/%/)
    expect(await page.getByTestId('stage').getAttribute('data-scale')).toBe('2.000')
    mkdirSync(SHOTS, { recursive: true })
    await hooks(page).idle()
    await page.screenshot({ path: `${SHOTS}/wall-3840x2160.png` })
    expect(wall.watch.errors).toEqual([])
    expect(wall.watch.foreignRequests).toEqual([])
  }, 90_000)
})
