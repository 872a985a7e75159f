import type { Store } from '../../../server/db/store.ts'
import type { Incident, IncidentState } from '../../../shared/incident/schema.ts'
import type { SubdistrictPackage } from '../../../shared/setup/package.ts'
import type { Change } from '../../../shared/sync/schema.ts'
import { describe, expect, it } from 'vitest'
import { createDuplicateIndex } from '../../../server/incident/duplicates.ts'
import { duplicateRules, rankDuplicates } from '../../../shared/incident/duplicates.ts'

// The index answers the nearest candidates without reading every incident it holds; what it answers must be what a
// full scan of the same incidents answers, on data made to be hard: many reports at the very same point (ties in
// distance, broken by time), related and unrelated categories, closed, merged and rejected ones, later versions.

const H = 3_600_000
const NOW = Date.parse('2026-06-20T04:00:00.000Z')
const CATEGORIES = ['waterlogging', 'sewage_overflow', 'garbage', 'corridor_clutter', 'streetlight']

function random(seed: number): () => number {
  let s = seed >>> 0
  return () => {
    s = (s + 0x6D2B79F5) >>> 0
    let t = s
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

function world(seed: number) {
  const rnd = random(seed)
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rnd() * xs.length)]!
  const hotspots = Array.from({ length: 8 }, () => ({ lon: 106.5 + rnd() * 0.012, lat: 29.6 + rnd() * 0.012 }))
  const place = () => rnd() < 0.5 ? pick(hotspots) : { lon: 106.5 + rnd() * 0.015, lat: 29.6 + rnd() * 0.015 }
  const iso = (ms: number) => new Date(Math.round(ms)).toISOString()
  let n = 0
  function incident(at = NOW - rnd() * 12 * 24 * H): Incident {
    const roll = rnd()
    const state: IncidentState = roll < 0.45 ? 'reported' : roll < 0.55 ? 'accepted' : roll < 0.85 ? 'closed' : roll < 0.93 ? 'merged' : 'rejected'
    const closedAt = state === 'closed' ? iso(at + rnd() * (NOW - at)) : null
    // Some reports share their time to the millisecond: the id breaks that tie.
    const reportedAt = rnd() < 0.1 ? iso(NOW - 24 * H) : iso(at)
    return { id: `inc_${(n++).toString().padStart(5, '0')}_${Math.floor(rnd() * 1e6)}`, version: 1, category: pick(CATEGORIES), location: place(), reportedAt, state, closedAt, updatedAt: closedAt ?? reportedAt } as unknown as Incident
  }
  return { rnd, pick, place, iso, incident }
}

function fakeStore(initial: Incident[]) {
  let listener: (changes: Change[]) => void = () => {}
  const store = {
    listLive: async () => initial,
    onCommit: (l: (changes: Change[]) => void) => {
      listener = l
      return () => {}
    },
  } as unknown as Store
  const commit = (incidents: Incident[]) => listener(incidents.map(data => ({ kind: 'incident', data }) as unknown as Change))
  return { store, commit }
}

async function compare(seed: number, pkg?: Partial<SubdistrictPackage>): Promise<number> {
  const w = world(seed)
  const latest = new Map<string, Incident>()
  const initial = Array.from({ length: 1500 }, () => w.incident())
  for (const i of initial) latest.set(i.id, i)
  const { store, commit } = fakeStore(initial)
  const live = pkg ? { version: 1, pkg: pkg as SubdistrictPackage } : undefined
  const index = createDuplicateIndex({ store, now: () => new Date(NOW), live })
  await index.start()
  // Later commits: new reports, and new versions of held ones (closed, merged, moved on).
  for (let round = 0; round < 20; round++) {
    const batch: Incident[] = []
    for (let k = 0; k < 25; k++) batch.push(w.incident(NOW - w.rnd() * 24 * H))
    for (let k = 0; k < 25; k++) {
      const was = w.pick(initial)
      const now = latest.get(was.id)!
      const state: IncidentState = w.pick(['closed', 'merged', 'accepted', 'rejected'])
      batch.push({ ...now, version: now.version + 1, state, closedAt: state === 'closed' ? w.iso(NOW - w.rnd() * 5 * 24 * H) : now.closedAt })
    }
    commit(batch)
    for (const i of batch) latest.set(i.id, i)
  }
  const rules = duplicateRules(pkg?.duplicates, pkg?.categories)
  // What the index holds by its own rule (the full scan of today's index searched the same set).
  const horizon = new Date(NOW - (rules.hours + rules.closedHours) * H).toISOString()
  const held = [...latest.values()].filter(i => i.state !== 'merged' && i.state !== 'rejected' && (i.state !== 'closed' || (i.closedAt ?? i.updatedAt) >= horizon))
  expect(index.size()).toBe(held.length)
  let nonEmpty = 0
  for (let p = 0; p < 400; p++) {
    const probe = p % 4 === 0
      ? w.pick([...latest.values()])
      : { ...w.incident(NOW - w.rnd() * 7 * 24 * H), id: `probe_${p}` }
    const full = rankDuplicates(rules, probe, held)
    const got = await index.candidates(probe)
    expect(got.map(c => [c.incident.id, c.incident.version, c.meters, c.hours]), `probe ${p} of seed ${seed}`)
      .toEqual(full.map(c => [c.incident.id, c.incident.version, c.meters, c.hours]))
    if (full.length > 0)
      nonEmpty++
  }
  return nonEmpty
}

describe('the bounded duplicate search', () => {
  it('answers what a full scan answers, with the default rules', async () => {
    for (const seed of [1, 2, 3]) {
      const nonEmpty = await compare(seed)
      expect(nonEmpty, 'most probes have candidates').toBeGreaterThan(200)
    }
  })

  it('answers what a full scan answers, with a package\'s tighter rules', async () => {
    const nonEmpty = await compare(7, { duplicates: { meters: 250, hours: 48, max: 3 }, categories: [{ code: 'streetlight', related: ['garbage'] }] } as unknown as Partial<SubdistrictPackage>)
    expect(nonEmpty).toBeGreaterThan(50)
  })
})
