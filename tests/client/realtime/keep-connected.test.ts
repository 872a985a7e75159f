import type { AppSocket } from '../../../client/realtime/socket.ts'
import { EventEmitter } from 'node:events'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { keepConnected } from '../../../client/realtime/socket.ts'

/** The little of a Socket.IO client socket that keepConnected uses. */
class FakeSocket extends EventEmitter {
  connected = false
  active = false
  connects = 0
  connect() {
    this.connects++
    return this
  }
}

describe('keepConnected', () => {
  beforeEach(() => {
    vi.useFakeTimers()
  })
  afterEach(() => {
    vi.useRealTimers()
  })

  function setUp(delayMs?: number) {
    const s = new FakeSocket()
    const recover = vi.fn(async () => {})
    keepConnected(s as unknown as AppSocket, recover, delayMs)
    return { s, recover }
  }

  it('renews the session and reconnects within a second after the server dropped the socket (a restart)', async () => {
    const { s, recover } = setUp()
    s.emit('disconnect', 'io server disconnect')
    await vi.advanceTimersByTimeAsync(499)
    expect(recover, 'no retry before the shortest delay').toHaveBeenCalledTimes(0)
    await vi.advanceTimersByTimeAsync(501)
    expect(recover).toHaveBeenCalledTimes(1)
    expect(s.connects).toBe(1)
  })

  it('leaves a network drop to Socket.IO\'s own reconnection', async () => {
    const { s, recover } = setUp()
    s.emit('disconnect', 'transport close')
    await vi.advanceTimersByTimeAsync(5_000)
    expect(recover).toHaveBeenCalledTimes(0)
    expect(s.connects).toBe(0)
  })

  it('retries a refused handshake (an expired session) once per delay, not once per error', async () => {
    const { s, recover } = setUp(1_000)
    s.emit('connect_error', new Error('unauthorised'))
    s.emit('connect_error', new Error('unauthorised'))
    await vi.advanceTimersByTimeAsync(2_000)
    expect(recover).toHaveBeenCalledTimes(1)
    expect(s.connects).toBe(1)
  })

  it('does not connect twice when the session renewal already brought the socket back', async () => {
    const { s, recover } = setUp()
    recover.mockImplementation(async () => {
      s.connected = true
    })
    s.emit('disconnect', 'io server disconnect')
    await vi.advanceTimersByTimeAsync(1_000)
    expect(recover).toHaveBeenCalledTimes(1)
    expect(s.connects).toBe(0)
  })
})
