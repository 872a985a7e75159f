// The parent's side of bench/lib/live-clients.ts: forks the screens' process and talks to it over IPC.
import type { ChildProcess } from 'node:child_process'
import type { FromClients, ToClients } from './live-clients.ts'
import { fork } from 'node:child_process'
import { join } from 'node:path'
import { now } from './common.ts'

const here = new URL('.', import.meta.url).pathname

export class Clients {
  private child: ChildProcess
  private waiters: ((m: FromClients) => void)[] = []

  constructor() {
    this.child = fork(join(here, 'live-clients.ts'), [], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'], serialization: 'advanced' })
    this.child.on('message', (m: FromClients) => this.waiters.shift()?.(m))
  }

  ask<T extends FromClients['type']>(msg: ToClients, expect: T, timeoutMs = 60_000): Promise<Extract<FromClients, { type: T }>> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`live clients: no ${expect} within ${timeoutMs} ms`)), timeoutMs)
      const onExit = (code: number | null) => reject(new Error(`live clients exited with ${code} waiting for ${expect}`))
      this.child.once('exit', onExit)
      this.waiters.push((m) => {
        clearTimeout(timer)
        this.child.off('exit', onExit)
        if (m.type !== expect)
          reject(new Error(`live clients: expected ${expect}, got ${m.type}`))
        else
          resolve(m as Extract<FromClients, { type: T }>)
      })
      this.child.send(msg)
    })
  }

  /** childClock − parentClock, from the IPC round trip with the smallest delay (NTP-style). */
  async clockOffset(): Promise<{ offset: number, rtt: number }> {
    let best = { offset: 0, rtt: Number.POSITIVE_INFINITY }
    for (let i = 0; i < 40; i++) {
      const t0 = now()
      const pong = await this.ask({ type: 'ping', t: t0 }, 'pong')
      const t1 = now()
      if (t1 - t0 < best.rtt)
        best = { offset: pong.child - (t0 + t1) / 2, rtt: t1 - t0 }
    }
    return best
  }

  async exit(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null)
      return
    const exited = new Promise<void>(resolve => this.child.once('exit', () => resolve()))
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 5000)
    await exited
    clearTimeout(timer)
  }
}
