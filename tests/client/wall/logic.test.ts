import type { Feature, Point } from 'geojson'
import { describe, expect, it } from 'vitest'
import { diffFeatures } from '../../../client/map/diff.ts'
import { isInterrupted, OUTAGE_GRACE_MS, SILENCE_MS } from '../../../client/realtime/health.ts'
import { escapeHtml } from '../../../client/ui/escape.ts'
import { compactSpan, signedPercent, splitMinutes } from '../../../client/ui/format.ts'
import { RingBuffer } from '../../../client/ui/ring.ts'
import { chartPixelRatio, stageLayout } from '../../../client/ui/stage.ts'

describe('stage scaling', () => {
  it('maps a 1920×1080 screen one to one', () => {
    expect(stageLayout(1920, 1080)).toEqual({ scale: 1, width: 1920, height: 1080 })
  })

  it('doubles on a 4K wall (or a 2×2 wall of 1080p panels) with the same design canvas', () => {
    expect(stageLayout(3840, 2160)).toEqual({ scale: 2, width: 1920, height: 1080 })
  })

  it('gives a 32:9 wall\'s extra width to the layer, not to black bars', () => {
    const l = stageLayout(7680, 2160)
    expect(l.scale).toBe(2)
    expect(l.width).toBe(3840)
    expect(l.height).toBe(1080)
  })

  it('gives a portrait screen extra height at the width\'s scale', () => {
    const l = stageLayout(1080, 1920)
    expect(l.scale).toBeCloseTo(0.5625)
    expect(l.width).toBeCloseTo(1920)
    expect(l.height).toBeCloseTo(3413.33, 1)
  })

  it('draws charts at least at scale × device pixel ratio, in quarter steps', () => {
    expect(chartPixelRatio(2, 1)).toBe(2)
    expect(chartPixelRatio(1, 1)).toBe(1)
    expect(chartPixelRatio(1.3, 1.5)).toBe(2)
    expect(chartPixelRatio(0.5, 1)).toBe(1)
    expect(chartPixelRatio(2.01, 1)).toBeGreaterThanOrEqual(2.01)
  })
})

describe('ring buffer', () => {
  it('keeps the newest items, newest first, and drops the oldest past capacity', () => {
    const r = new RingBuffer<number>(3)
    for (let n = 1; n <= 5; n++) r.push(n)
    expect(r.toArray()).toEqual([5, 4, 3])
    expect(r.size).toBe(3)
  })

  it('stays bounded over a long run', () => {
    const r = new RingBuffer<number>(40)
    for (let n = 0; n < 100_000; n++) r.push(n)
    expect(r.size).toBe(40)
    expect(r.toArray()[0]).toBe(99_999)
  })

  it('moves a repeated entry to the top instead of listing it twice', () => {
    const r = new RingBuffer<{ id: string, n: number }>(3)
    r.push({ id: 'a', n: 1 })
    r.push({ id: 'b', n: 2 })
    r.pushUnique({ id: 'a', n: 3 }, x => x.id === 'a')
    expect(r.toArray()).toEqual([{ id: 'a', n: 3 }, { id: 'b', n: 2 }])
  })

  it('replaces in place with upsert', () => {
    const r = new RingBuffer<{ id: string, n: number }>(3)
    r.push({ id: 'a', n: 1 })
    r.push({ id: 'b', n: 2 })
    r.upsert({ id: 'a', n: 9 }, x => x.id === 'a')
    expect(r.toArray()).toEqual([{ id: 'b', n: 2 }, { id: 'a', n: 9 }])
  })

  it('refuses a capacity below one', () => {
    expect(() => new RingBuffer(0)).toThrow(RangeError)
  })
})

describe('feed interruption', () => {
  const now = 1_000_000

  it('is not interrupted while caught up and recently heard', () => {
    expect(isInterrupted(now, { lastMessageAt: now - 4000, downSince: null })).toBe(false)
  })

  it('is interrupted after the silence threshold even on an open socket', () => {
    expect(isInterrupted(now, { lastMessageAt: now - SILENCE_MS, downSince: null })).toBe(true)
  })

  it('tolerates a short reconnect, then says so', () => {
    expect(isInterrupted(now, { lastMessageAt: now - 1000, downSince: now - 1000 })).toBe(false)
    expect(isInterrupted(now, { lastMessageAt: now - 1000, downSince: now - OUTAGE_GRACE_MS })).toBe(true)
  })
})

describe('escaping for chart tooltips', () => {
  it('turns markup into text', () => {
    expect(escapeHtml('<img src=x onerror=alert(1)>')).toBe('&lt;img src=x onerror=alert(1)&gt;')
    expect(escapeHtml('<script>"a" & \'b\'</script>')).toBe('&lt;script&gt;&quot;a&quot; &amp; &#39;b&#39;&lt;/script&gt;')
    expect(escapeHtml(null)).toBe('')
  })
})

describe('figures', () => {
  it('formats durations in the unit one reads at a glance', () => {
    expect(splitMinutes(38.4)).toEqual({ value: '38', unit: 'min' })
    expect(splitMinutes(312)).toEqual({ value: '5.2', unit: 'hour' })
    expect(splitMinutes(4464)).toEqual({ value: '3.1', unit: 'day' })
    expect(splitMinutes(null)).toBeNull()
    expect(compactSpan(45_000)).toBe('45s')
    expect(compactSpan(3 * 3600_000 + 5 * 60_000)).toBe('3h05m')
    expect(compactSpan(52 * 3600_000)).toBe('2d04h')
  })

  it('signs year-on-year changes', () => {
    expect(signedPercent(-0.322)).toBe('−32.2%')
    expect(signedPercent(0.05)).toBe('+5.0%')
    expect(signedPercent(null)).toBe('—')
  })
})

describe('map diffs', () => {
  const pt = (id: string, lon: number, extra: Record<string, unknown> = {}): Feature<Point, { id: string }> =>
    ({ type: 'Feature', geometry: { type: 'Point', coordinates: [lon, 29.6] }, properties: { id, ...extra } })

  it('adds what is new, updates only what moved, removes what left', () => {
    const first = diffFeatures(new Map(), [pt('a', 106.1), pt('b', 106.2)])
    expect(first.diff?.add).toHaveLength(2)
    const second = diffFeatures(first.held, [pt('a', 106.1), pt('b', 106.3), pt('c', 106.4)])
    expect(second.diff?.add?.map(f => f.properties?.id)).toEqual(['c'])
    expect(second.diff?.update).toEqual([{ id: 'b', newGeometry: { type: 'Point', coordinates: [106.3, 29.6] }, addOrUpdateProperties: [{ key: 'id', value: 'b' }] }])
    expect(second.diff?.remove).toEqual([])
    const third = diffFeatures(second.held, [pt('c', 106.4)])
    expect(third.diff?.remove).toEqual(['a', 'b'])
  })

  it('sends nothing when nothing changed', () => {
    const first = diffFeatures(new Map(), [pt('a', 106.1)])
    expect(diffFeatures(first.held, [pt('a', 106.1)]).diff).toBeNull()
  })
})
