import type { Incident, IncidentState } from '../../../shared/incident/schema.ts'
import { createPinia, setActivePinia } from 'pinia'
import { beforeEach, describe, expect, it } from 'vitest'
import { useIncidentsStore } from '../../../client/incident/store.ts'
import { incidentFeatures, loadByGrid } from '../../../client/map/features.ts'
import { LiveClusters } from '../../../client/map/live-clusters.ts'
import { IncidentPoints } from '../../../client/map/live-features.ts'
import { OverdueClock } from '../../../client/stats/overdue-clock.ts'
import { HourTally, OpenTally, TodayTally } from '../../../client/stats/tallies.ts'
import { duplicateClusters } from '../../../shared/incident/clusters.ts'
import { duplicateRules } from '../../../shared/incident/duplicates.ts'
import { hourlyTrend, todayFigures } from '../../../shared/stats/figures.ts'
import { makeIncident } from '../../shared/fixtures.ts'

// The wall keeps its figures change by change (#18); each must say exactly what the full recount says. A seeded
// random run of reports, steps, closures, moves and prunes goes through the real incidents store, and after every
// few changes each kept figure is compared with its recount over what the store holds, at a clock that moves on.

const MINUTE = 60_000
const HOUR = 60 * MINUTE
const T0 = Date.parse('2026-06-01T03:30:00.000Z')
const BASE = { lon: 106.602, lat: 29.626 }
const STATES: IncidentState[] = ['reported', 'accepted', 'assigned', 'handling', 'resolved', 'verified', 'closed', 'rejected', 'merged']
const CATEGORIES = ['waterlogging', 'sewage_overflow', 'garbage', 'illegal_parking']
const GRIDS = ['g1', 'g2', 'g3', null]

/** mulberry32: a small seeded generator, so a failure replays. */
function random(seed: number): () => number {
  let a = seed
  return () => {
    a = (a + 0x6D2B79F5) | 0
    let t = Math.imul(a ^ (a >>> 15), 1 | a)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

const iso = (t: number) => new Date(t).toISOString()

function incident(id: string, over: Partial<Incident>): Incident {
  const reportedAt = over.reportedAt ?? iso(T0)
  return makeIncident({
    id,
    category: 'garbage',
    title: id,
    description: id,
    severity: 3,
    address: '',
    reporterId: null,
    location: BASE,
    owner: { loop: 'grid', communityId: 'c1', gridId: 'g1', sectorId: null, postId: null, helperSectorIds: [], assigneeId: null },
    reportedAt,
    updatedAt: reportedAt,
    stageDeadline: null,
    ...over,
  })
}

describe('the wall\'s kept figures', () => {
  beforeEach(() => setActivePinia(createPinia()))

  for (const seed of [1, 2, 3]) {
    it(`say what a full recount says after a random run of changes (seed ${seed})`, () => {
      const rnd = random(seed)
      const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!
      let now = T0
      let seq = 0
      let made = 0
      const store = useIncidentsStore()
      const rules = duplicateRules()

      // Roughly 1.5 km across: enough neighbours within the rule's 800 m to form, join and split clusters.
      const place = () => ({ lon: Number((BASE.lon + (rnd() - 0.5) * 0.015).toFixed(6)), lat: Number((BASE.lat + (rnd() - 0.5) * 0.012).toFixed(6)) })
      const fresh = (): Incident => {
        const reportedAt = iso(now - Math.floor(rnd() * 60 * HOUR))
        return incident(`i${++made}`, { reportedAt, updatedAt: reportedAt, category: pick(CATEGORIES), location: place(), severity: 1 + Math.floor(rnd() * 4), owner: { loop: 'grid', communityId: 'c1', gridId: pick(GRIDS), sectorId: null, postId: null, helperSectorIds: [], assigneeId: null }, stageDeadline: rnd() < 0.7 ? iso(now + Math.floor((rnd() - 0.3) * 4 * HOUR)) : null })
      }
      const next = (i: Incident): Incident => {
        const state = pick(STATES)
        const moved = rnd() < 0.1
        return {
          ...i,
          version: i.version + 1,
          state,
          severity: rnd() < 0.3 ? 1 + Math.floor(rnd() * 4) : i.severity,
          category: rnd() < 0.05 ? pick(CATEGORIES) : i.category,
          location: moved ? place() : i.location,
          acceptedAt: i.acceptedAt ?? (state !== 'reported' && rnd() < 0.8 ? iso(now) : null),
          closedAt: state === 'closed' ? iso(now - Math.floor(rnd() * 30 * HOUR)) : null,
          stageDeadline: rnd() < 0.5 ? iso(now + Math.floor((rnd() - 0.2) * 3 * HOUR)) : i.stageDeadline,
          updatedAt: iso(now - (rnd() < 0.2 ? 50 * HOUR : 0)),
        }
      }

      store.applySnapshot({ seq: 0, epoch: 'e1', at: iso(now), incidents: Array.from({ length: 60 }, fresh), positions: [] })
      const today = new TodayTally()
      const grids = new OpenTally(i => i.owner.gridId)
      const hours = new HourTally()
      const clusters = new LiveClusters(rules)
      const points = new IncidentPoints()
      for (const t of [today, grids, hours, clusters, points]) store.track(t)
      expect(clusters.clusters(), 'no clusters until their links are found').toEqual([])
      while (!clusters.link(1)) expect(clusters.waiting).toBeGreaterThan(0)

      const check = () => {
        const all = [...store.byId.values()]
        expect(today.figures(now)).toEqual(todayFigures(all, now))
        expect(grids.load(now)).toEqual(loadByGrid(all, now))
        const trend = hours.trend(now)
        expect(trend.points).toEqual(hourlyTrend(all, now))
        const first = Date.parse(trend.points[0]!.at)
        const latest = trend.points.map((_, k) => all.filter(i => Math.floor((Date.parse(i.reportedAt) - first) / HOUR) === k).sort((a, b) => b.reportedAt.localeCompare(a.reportedAt))[0]?.reportedAt)
        expect(trend.latest.map(i => i?.reportedAt)).toEqual(latest)
        const ids = (groups: Incident[][]) => groups.map(g => g.map(i => i.id))
        const recount = duplicateClusters(rules, all)
        expect(ids(clusters.clusters())).toEqual(ids(recount))
        expect(clusters.clusters().flat().every(i => store.byId.get(i.id) === i), 'clusters hold the latest versions').toBe(true)
        const skip = new Set(recount.flat().map(i => i.id))
        const byId = (a: { properties: { id: string } }, b: { properties: { id: string } }) => a.properties.id.localeCompare(b.properties.id)
        expect(points.collection(now, id => clusters.has(id)).features.sort(byId)).toEqual(incidentFeatures(all, now, skip).features.sort(byId))
      }

      check()
      expect(clusters.clusters().length, 'the run forms clusters to keep').toBeGreaterThan(2)
      for (let step = 0; step < 600; step++) {
        now += Math.floor(rnd() * 4 * MINUTE)
        const held = [...store.byId.values()]
        const r = rnd()
        const batch: Incident[] = []
        if (r < 0.25 || held.length === 0) {
          batch.push(fresh())
        }
        else if (r < 0.95) {
          for (let k = 0; k < 1 + Math.floor(rnd() * 3); k++) batch.push(next(pick(held)))
        }
        else {
          store.prune(now)
        }
        if (batch.length > 0)
          store.receive(batch.map(data => ({ seq: ++seq, at: iso(now), kind: 'incident' as const, action: 'step', id: data.id, data })))
        if (step % 5 === 0)
          check()
      }
      check()
    })
  }

  it('a snapshot starts every figure again from what it holds', () => {
    const store = useIncidentsStore()
    const today = new TodayTally()
    store.track(today)
    store.applySnapshot({ seq: 5, epoch: 'e1', at: iso(T0), incidents: [incident('a', {}), incident('b', { state: 'closed', closedAt: iso(T0) })], positions: [] })
    expect(today.figures(T0)).toMatchObject({ open: 1, closed: 1, reported: 2 })
    store.applySnapshot({ seq: 9, epoch: 'e1', at: iso(T0), incidents: [incident('c', { state: 'accepted' })], positions: [] })
    expect(today.figures(T0)).toMatchObject({ open: 1, inProgress: 1, closed: 0, reported: 1 })
  })
})

describe('the overdue clock', () => {
  it('moves an incident over when its deadline passes, and only once', () => {
    const clock = new OverdueClock()
    const a = incident('a', { stageDeadline: iso(T0 + 90 * MINUTE) })
    expect(clock.add(a)).toBe(false)
    expect(clock.advance(T0 + 90 * MINUTE)).toEqual([])
    expect(clock.advance(T0 + 90 * MINUTE + 1)).toEqual([a])
    expect(clock.advance(T0 + 3 * HOUR)).toEqual([])
    expect(clock.size).toBe(1)
    expect(clock.remove(a)).toBe(true)
    expect(clock.size).toBe(0)
  })

  it('walks only the minutes it holds after a long sleep, and holds no finished incident', () => {
    const clock = new OverdueClock()
    clock.advance(T0)
    const late = incident('late', { stageDeadline: iso(T0 + 30 * 24 * HOUR) })
    clock.add(late)
    expect(clock.add(incident('done', { state: 'closed', stageDeadline: iso(T0) }))).toBe(false)
    expect(clock.advance(T0 + 365 * 24 * HOUR)).toEqual([late])
  })
})
