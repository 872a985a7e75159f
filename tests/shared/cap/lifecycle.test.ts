import type { StoredWarning } from '../../../shared/cap/lifecycle.ts'
import type { CapAlert, CapInfo } from '../../../shared/cap/types.ts'
import { describe, expect, it } from 'vitest'
import { applyAlert, expireWarnings, mayProposeWartime } from '../../../shared/cap/lifecycle.ts'

const NOW = new Date('2024-07-10T00:00:00.000Z')
const SENDER = '重庆市江北区气象台'

function info(over: Partial<CapInfo> = {}): CapInfo {
  return { language: 'zh-CN', category: ['Met'], event: '暴雨红色预警', urgency: 'Immediate', severity: 'Extreme', certainty: 'Likely', parameters: {}, eventCodes: {}, areas: [], expires: '2024-07-10T12:00:00.000Z', ...over }
}

function alert(identifier: string, over: Partial<CapAlert> = {}): CapAlert {
  return { identifier, sender: SENDER, sent: '2024-07-09T23:00:00.000Z', status: 'Actual', msgType: 'Alert', scope: 'Public', references: [], infos: [info()], ...over }
}

const ref = (identifier: string, sender = SENDER) => ({ sender, identifier, sent: '2024-07-09T23:00:00.000Z' })

function fold(...alerts: CapAlert[]): StoredWarning[] {
  return alerts.reduce<StoredWarning[]>((ws, a) => applyAlert(ws, a, { now: NOW }).warnings, [])
}

const stateOf = (ws: StoredWarning[], identifier: string) => ws.find(w => w.alert.identifier === identifier)?.state

describe('applyAlert', () => {
  it('stores a new alert as active, keyed by sender and identifier', () => {
    const r = applyAlert([], alert('A1'), { now: NOW })
    expect(r.effect).toBe('new')
    expect(r.reason).toBeUndefined()
    expect(r.warnings).toEqual([expect.objectContaining({ key: `${SENDER},A1`, state: 'active', receivedAt: NOW.toISOString(), exercise: false, orphan: false })])
    expect(mayProposeWartime(r.warnings[0]!)).toBe(true)
  })

  it('treats a resent identifier from the same sender as a duplicate and changes nothing', () => {
    const ws = fold(alert('A1'))
    const r = applyAlert(ws, alert('A1', { sent: '2024-07-09T23:05:00.000Z' }), { now: NOW })
    expect(r.effect).toBe('duplicate')
    expect(r.warnings).toEqual(ws)
    // The same identifier from another sender is another warning.
    expect(applyAlert(ws, alert('A1', { sender: 'other@example.org' }), { now: NOW }).effect).toBe('new')
  })

  it('supersedes the referenced warning on Update and keeps the update active', () => {
    const ws = fold(alert('A1'), alert('A2'))
    const r = applyAlert(ws, alert('A3', { msgType: 'Update', references: [ref('A1')] }), { now: NOW })
    expect(r.effect).toBe('updated')
    expect(r.reason).toBeUndefined()
    expect(stateOf(r.warnings, 'A1')).toBe('superseded')
    expect(r.warnings.find(w => w.alert.identifier === 'A1')!.endedBy).toBe(`${SENDER},A3`)
    expect(stateOf(r.warnings, 'A2')).toBe('active')
    expect(stateOf(r.warnings, 'A3')).toBe('active')
    expect(ws.find(w => w.alert.identifier === 'A1')!.state).toBe('active') // the input is not mutated
  })

  it('cancels every referenced warning on Cancel, and the Cancel itself never proposes wartime', () => {
    const ws = fold(alert('A1'), alert('A2'))
    const r = applyAlert(ws, alert('C1', { msgType: 'Cancel', references: [ref('A1'), ref('A2')] }), { now: NOW })
    expect(r.effect).toBe('cancelled')
    expect([stateOf(r.warnings, 'A1'), stateOf(r.warnings, 'A2'), stateOf(r.warnings, 'C1')]).toEqual(['cancelled', 'cancelled', 'cancelled'])
    expect(r.warnings.filter(mayProposeWartime).map(w => w.alert.identifier)).toEqual([])
  })

  it('does not match a reference from another sender', () => {
    const r = applyAlert(fold(alert('A1')), alert('U1', { msgType: 'Update', references: [ref('A1', 'someone@else')] }), { now: NOW })
    expect(stateOf(r.warnings, 'A1')).toBe('active')
    expect(r.reason).toMatch(/orphan reference/)
  })

  it('stores an Update or Cancel that references nothing known, flagged as an orphan', () => {
    const u = applyAlert([], alert('U1', { msgType: 'Update', references: [ref('NEVER-SEEN')] }), { now: NOW })
    expect(u.effect).toBe('updated')
    expect(u.reason).toMatch(/^orphan reference/)
    expect(u.warnings).toEqual([expect.objectContaining({ state: 'active', orphan: true })])
    const c = applyAlert([], alert('C1', { msgType: 'Cancel', references: [] }), { now: NOW })
    expect(c.effect).toBe('cancelled')
    expect(c.reason).toMatch(/^orphan reference/)
    expect(c.warnings).toEqual([expect.objectContaining({ state: 'cancelled', orphan: true })])
  })

  it.each(['Test', 'Exercise', 'Draft'] as const)('stores a %s alert but never lets it propose wartime', (status) => {
    const r = applyAlert([], alert('T1', { status }), { now: NOW })
    expect(r.effect).toBe('new')
    expect(r.reason).toMatch(new RegExp(`status ${status}`))
    expect(r.warnings[0]).toMatchObject({ state: 'active', exercise: true })
    expect(mayProposeWartime(r.warnings[0]!)).toBe(false)
  })

  it('does not let an exercise cancel an actual warning', () => {
    const r = applyAlert(fold(alert('A1')), alert('X1', { status: 'Exercise', msgType: 'Cancel', references: [ref('A1')] }), { now: NOW })
    expect(stateOf(r.warnings, 'A1')).toBe('active')
    expect(r.warnings.find(w => w.alert.identifier === 'X1')).toMatchObject({ orphan: true })
  })

  it('ignores Ack and Error messages without storing them', () => {
    for (const msgType of ['Ack', 'Error'] as const) {
      const r = applyAlert([], alert('K1', { msgType, references: [ref('A1')] }), { now: NOW })
      expect(r.effect).toBe('ignored')
      expect(r.warnings).toEqual([])
    }
  })

  it('stores an original that arrives after its Update as already superseded', () => {
    const ws = fold(alert('U1', { msgType: 'Update', references: [ref('A1')] }))
    const r = applyAlert(ws, alert('A1'), { now: NOW })
    expect(r.effect).toBe('new')
    expect(stateOf(r.warnings, 'A1')).toBe('superseded')
    expect(r.reason).toMatch(/already superseded/)
  })

  it('expires warnings whose expires has passed, the new one included', () => {
    const ws = fold(alert('A1', { infos: [info({ expires: '2024-07-09T23:30:00.000Z' })] }))
    expect(stateOf(ws, 'A1')).toBe('expired')
    const live = fold(alert('A2'))
    const later = applyAlert(live, alert('A3'), { now: new Date('2024-07-10T13:00:00.000Z') })
    expect([stateOf(later.warnings, 'A2'), stateOf(later.warnings, 'A3')]).toEqual(['expired', 'expired'])
    // An alert without expires never expires; one info block without it keeps the alert alive.
    const open = fold(alert('A4', { infos: [info({ expires: '2024-07-09T23:30:00.000Z' }), info({ expires: undefined })] }))
    expect(stateOf(expireWarnings(open, new Date('2030-01-01T00:00:00Z')), 'A4')).toBe('active')
  })
})
