import type { Box } from '../../../client/map/declutter.ts'
import { describe, expect, it } from 'vitest'
import { declutter } from '../../../client/map/declutter.ts'

const box = (left: number, top: number, width = 120, height = 26): Box => ({ left, top, right: left + width, bottom: top + height })
const at = (b: Box, [dx, dy]: [number, number]): Box => ({ left: b.left + dx, right: b.right + dx, top: b.top + dy, bottom: b.bottom + dy })
const overlap = (a: Box, b: Box) => a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom

/** The boxes after their offsets: none may overlap another or a fixed one. */
function laidOut(tags: Box[], fixed: Box[] = []): Box[] {
  const out = declutter(tags, fixed).map((o, n) => at(tags[n]!, o))
  out.forEach((a, i) => {
    for (const f of fixed) expect(overlap(a, f), `tag ${i} covers a place name`).toBe(false)
    out.forEach((b, j) => i !== j && expect(overlap(a, b), `tags ${i} and ${j} overlap`).toBe(false))
  })
  return out
}

describe('cluster tags on the wall map', () => {
  it('leaves tags that do not touch where they are', () => {
    expect(declutter([box(0, 0), box(200, 0), box(0, 100)], [])).toEqual([[0, 0], [0, 0], [0, 0]])
  })

  it('moves the second of two overlapping tags the shortest way clear of the first', () => {
    const [, b] = laidOut([box(100, 100), box(140, 110)])
    expect(b!.top, 'just under the first tag (bottom 126)').toBeGreaterThan(126)
    expect(b!.top).toBeLessThan(132)
  })

  it('stacks three tags on one spot into three rows', () => {
    const tops = laidOut([box(0, 100), box(0, 100), box(0, 100)]).map(b => b.top)
    expect(tops[0]).toBe(100)
    expect(tops[1], 'the second above').toBeLessThan(100 - 26)
    expect(tops[2], 'the third below').toBeGreaterThan(100 + 26)
  })

  it('slides a tag sideways when place names sit above and below it (海尔路 on the demo wall)', () => {
    // The demo's crowded corner at 1920×1080: 朝阳河, 溉澜溪 and 海尔路 around two tags.
    const names = [box(1061, 346, 138, 24), box(1165, 368, 138, 24), box(934, 312, 138, 24), box(945, 456, 116, 24)]
    const [dumped, parking] = laidOut([box(1038, 421, 240), box(1041, 372, 198)], names)
    expect(dumped!.top).toBe(421)
    expect(Math.abs(parking!.left - 1041) + Math.abs(parking!.top - 372), 'within three tags\' heights').toBeLessThanOrEqual(84)
  })

  it('leaves a tag in place when no free place is within reach', () => {
    expect(declutter([box(100, 100)], [box(0, -200, 400, 500)])).toEqual([[0, 0]])
  })
})
