import { Buffer } from 'node:buffer'
import { describe, expect, it } from 'vitest'
import { keyBytes, pushBlocker } from '../../../client/screens/field/push.ts'

describe('the phone\'s task alerts', () => {
  const ok = { secure: true, serviceWorker: true, pushManager: true, permission: 'default' as NotificationPermission }

  it('says why a browser cannot subscribe, plain http first', () => {
    expect(pushBlocker(ok)).toBeNull()
    expect(pushBlocker({ ...ok, permission: 'granted' })).toBeNull()
    expect(pushBlocker({ ...ok, secure: false, pushManager: false })).toBe('insecure')
    expect(pushBlocker({ ...ok, pushManager: false })).toBe('unsupported')
    expect(pushBlocker({ ...ok, permission: null })).toBe('unsupported')
    expect(pushBlocker({ ...ok, permission: 'denied' })).toBe('blocked')
  })

  it('turns the base64url VAPID key into the bytes PushManager takes', () => {
    const raw = Buffer.from([4, ...Array.from({ length: 64 }, (_, i) => (i * 37 + 250) % 256)])
    expect(Buffer.from(keyBytes(raw.toString('base64url')))).toEqual(raw)
  })
})
