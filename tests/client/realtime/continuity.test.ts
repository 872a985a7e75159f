import type { Incident } from '../../../shared/incident/schema.ts'
import type { Change } from '../../../shared/sync/schema.ts'
import { describe, expect, it } from 'vitest'
import { newerIncident, reconcileChanges } from '../../../client/realtime/continuity.ts'
import { makeIncident } from '../../shared/fixtures.ts'

const incident = (id: string, version: number): Incident => makeIncident({ id, version })

function change(seq: number, id = `i${seq}`, version = 1): Change {
  return { seq, at: '2026-11-27T08:00:00.000Z', kind: 'incident', action: 'report', id, data: incident(id, version) }
}

const seqs = (changes: Change[]) => changes.map(c => c.seq)

describe('reconcileChanges', () => {
  it('applies the change right after the held seq', () => {
    const r = reconcileChanges(5, [change(6), change(7)])
    expect(seqs(r.ready)).toEqual([6, 7])
    expect(r.seq).toBe(7)
    expect(r.gap).toBeNull()
  })

  it('ignores changes at or below the held seq', () => {
    const r = reconcileChanges(5, [change(4), change(5), change(6)])
    expect(seqs(r.ready)).toEqual([6])
    expect(r.pending).toEqual([])
  })

  it('holds changes behind a gap and names the range to fetch', () => {
    const r = reconcileChanges(5, [change(9), change(8)])
    expect(r.ready).toEqual([])
    expect(seqs(r.pending)).toEqual([8, 9])
    expect(r.gap).toEqual({ since: 5, until: 7 })
    expect(r.seq).toBe(5)
  })

  it('applies up to the gap and keeps the rest', () => {
    const r = reconcileChanges(5, [change(6), change(9), change(7)])
    expect(seqs(r.ready)).toEqual([6, 7])
    expect(seqs(r.pending)).toEqual([9])
    expect(r.gap).toEqual({ since: 7, until: 8 })
  })

  it('closes the gap once the fetched range arrives with the buffered changes', () => {
    const first = reconcileChanges(5, [change(8), change(9)])
    const second = reconcileChanges(first.seq, [...first.pending, change(6), change(7)])
    expect(seqs(second.ready)).toEqual([6, 7, 8, 9])
    expect(second.pending).toEqual([])
    expect(second.seq).toBe(9)
  })

  it('drops duplicates of one seq', () => {
    const r = reconcileChanges(0, [change(1), change(1), change(2)])
    expect(seqs(r.ready)).toEqual([1, 2])
  })

  it('buffers everything while no snapshot is held', () => {
    const r = reconcileChanges(null, [change(3), change(2)])
    expect(r.ready).toEqual([])
    expect(seqs(r.pending)).toEqual([2, 3])
    expect(r.gap).toBeNull()
    expect(r.seq).toBeNull()
  })
})

describe('newerIncident', () => {
  it('takes a higher version', () => {
    expect(newerIncident(incident('a', 1), incident('a', 2)).version).toBe(2)
  })

  it('keeps what it holds when the change is not newer', () => {
    const held = incident('a', 3)
    expect(newerIncident(held, incident('a', 3))).toBe(held)
    expect(newerIncident(held, incident('a', 2))).toBe(held)
  })

  it('takes any version of an incident it does not hold', () => {
    expect(newerIncident(undefined, incident('a', 4)).version).toBe(4)
  })
})
