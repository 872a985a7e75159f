// A warning's life under CAP 1.2's own rules: an Update supersedes, a Cancel cancels, both through
// <references>; an identifier is unique per sender, so a resend is a duplicate. Pure: current list in, new list out.
import type { CapAlert, CapReference } from './types.ts'

export type WarningState = 'active' | 'superseded' | 'cancelled' | 'expired'

export interface StoredWarning {
  /** `sender,identifier`: CAP forbids commas in either, and references name a message by the same pair. */
  key: string
  alert: CapAlert
  state: WarningState
  /** ISO. */
  receivedAt: string
  /** Test, Exercise, Draft or System: stored and shown, never proposes wartime. */
  exercise: boolean
  /** An Update or Cancel whose references match no stored warning. */
  orphan: boolean
  /** Key of the Update or Cancel that ended this warning. */
  endedBy?: string
}

export type ApplyEffect = 'new' | 'updated' | 'cancelled' | 'duplicate' | 'ignored'

export interface ApplyResult { warnings: StoredWarning[], effect: ApplyEffect, reason?: string }

export interface ApplyContext { now: Date }

export function warningKey(ref: Pick<CapReference, 'sender' | 'identifier'>): string {
  return `${ref.sender},${ref.identifier}`
}

export function isExercise(alert: CapAlert): boolean {
  return alert.status !== 'Actual'
}

/** The latest `expires` over the alert's info blocks; null when any block never expires (or there are none). */
export function expiresAt(alert: CapAlert): string | null {
  if (alert.infos.length === 0 || alert.infos.some(i => !i.expires))
    return null
  return alert.infos.map(i => i.expires!).sort().at(-1)!
}

function expired(alert: CapAlert, now: Date): boolean {
  const at = expiresAt(alert)
  return at !== null && Date.parse(at) < now.getTime()
}

/** Active warnings whose `expires` has passed become 'expired'; others are returned as they are. */
export function expireWarnings(current: readonly StoredWarning[], now: Date): StoredWarning[] {
  return current.map(w => w.state === 'active' && expired(w.alert, now) ? { ...w, state: 'expired' } : w)
}

/** Only an active, actual (not exercise) warning may lead to a proposal "declare wartime with plan X". */
export function mayProposeWartime(w: StoredWarning): boolean {
  return w.state === 'active' && !w.exercise && w.alert.msgType !== 'Cancel'
}

/**
 * Fold one parsed alert into the stored warnings.
 * - Ack and Error messages are 'ignored' (not stored): they answer messages, they warn of nothing.
 * - A known sender+identifier is a 'duplicate': nothing changes, so a resend is harmless.
 * - Update: the referenced warnings become 'superseded', the update is stored active ('updated').
 * - Cancel: the referenced warnings become 'cancelled'; the Cancel is stored as 'cancelled' for the record.
 * - References that match nothing stored still store the message, flagged `orphan` with reason 'orphan reference'.
 * - References apply only within the same kind: an exercise never ends an actual warning, nor the reverse.
 * - An Alert that arrives after an Update or Cancel naming it is stored already ended (out-of-order delivery).
 * - Every active warning past its `expires` (the new one included) becomes 'expired'.
 */
export function applyAlert(current: readonly StoredWarning[], alert: CapAlert, ctx: ApplyContext): ApplyResult {
  const key = warningKey(alert)
  const now = expireWarnings(current, ctx.now)
  if (alert.msgType === 'Ack' || alert.msgType === 'Error')
    return { warnings: now, effect: 'ignored', reason: `${alert.msgType} messages answer other messages; nothing to warn of` }
  if (now.some(w => w.key === key))
    return { warnings: now, effect: 'duplicate', reason: `${key} was already received` }

  const exercise = isExercise(alert)
  const referenced = new Set(alert.references.map(warningKey))
  const ends = alert.msgType === 'Update' || alert.msgType === 'Cancel'
  let matched = 0
  const warnings = now.map((w) => {
    if (!ends || !referenced.has(w.key) || w.exercise !== exercise)
      return w
    matched++
    if (w.state === 'cancelled' || w.state === 'superseded')
      return w
    return { ...w, state: alert.msgType === 'Cancel' ? 'cancelled' as const : 'superseded' as const, endedBy: key }
  })

  const laterEnder = now.find(w => w.exercise === exercise && (w.alert.msgType === 'Update' || w.alert.msgType === 'Cancel')
    && w.alert.references.some(r => warningKey(r) === key))
  const orphan = ends && matched === 0
  let state: WarningState = alert.msgType === 'Cancel' ? 'cancelled' : 'active'
  if (state === 'active' && laterEnder)
    state = laterEnder.alert.msgType === 'Cancel' ? 'cancelled' : 'superseded'
  if (state === 'active' && expired(alert, ctx.now))
    state = 'expired'
  const stored: StoredWarning = { key, alert, state, receivedAt: ctx.now.toISOString(), exercise, orphan }
  if (laterEnder && state !== 'active' && state !== 'expired')
    stored.endedBy = laterEnder.key
  warnings.push(stored)

  const effect: ApplyEffect = alert.msgType === 'Update' ? 'updated' : alert.msgType === 'Cancel' ? 'cancelled' : 'new'
  const reasons: string[] = []
  if (orphan)
    reasons.push(alert.references.length === 0 ? `orphan reference: the ${alert.msgType} names no warning` : `orphan reference: none of the ${alert.references.length} referenced warnings is known`)
  if (exercise)
    reasons.push(`status ${alert.status}: shown, never proposes wartime`)
  if (laterEnder && stored.endedBy)
    reasons.push(`already ${state} by ${laterEnder.key}, which arrived first`)
  if (state === 'expired')
    reasons.push('expired on arrival')
  return reasons.length ? { warnings, effect, reason: reasons.join('; ') } : { warnings, effect }
}
