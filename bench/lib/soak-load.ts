// The soak's load, shared by bench/wall-soak.ts and bench/wall-scale.ts: incident actions at a fixed rate on a
// pool cycled accept → assign → start → resolve → verify → close → reopen (a flat data set), and workers moved
// every second through ctx.presence.
import type { AppContext } from '../../server/context.ts'
import type { ActionBody, Incident } from '../../shared/incident/schema.ts'
import { benchCall, sleep } from './common.ts'

export interface PoolItem { id: string, state: Incident['state'], busy: boolean }
export interface LoadStats { submitted: number, acked: number, failed: number, skipped: number, lastError: string, elapsedS: number }

/** The next step of the endless loop for an incident in `state` (operator principal). */
function nextAction(state: Incident['state']): ActionBody | null {
  switch (state) {
    case 'reported': return { action: 'accept' }
    case 'accepted': return { action: 'assign', assigneeId: 'p_bench' }
    case 'assigned': return { action: 'start' }
    case 'handling': return { action: 'resolve', note: '已处置' }
    case 'resolved': return { action: 'verify' }
    case 'verified': return { action: 'close' }
    case 'closed': return { action: 'reopen', note: '复查未通过' }
    default: return null
  }
}

/** `count` workers: the roster's grid workers first, then made-up ids, each walking around a grid's centre. */
export function soakWorkers(ctx: AppContext, count: number): { id: string, lon: number, lat: number, lon0: number, lat0: number }[] {
  const grids = ctx.reference.territory.grids
  const rosterIds = ctx.reference.org.rosters.map(r => r.workerId)
  return Array.from({ length: count }, (_, i) => {
    const c = grids[i % grids.length]!.center
    return { id: rosterIds[i] ?? `w_soak_${i}`, lon: c.lon, lat: c.lat, lon0: c.lon, lat0: c.lat }
  })
}

/** Starts the load; `stop()` ends it and answers what was done. Late ticks catch up, so the rate holds. */
export function startLoad(ctx: AppContext, pool: PoolItem[], opts: { rate: number, workers: number, tag: string }): { stop: () => Promise<LoadStats> } {
  const workers = soakWorkers(ctx, opts.workers)
  const s: LoadStats = { submitted: 0, acked: 0, failed: 0, skipped: 0, lastError: '', elapsedS: 0 }
  let next = 0
  const t0 = performance.now()
  const run = { stop: false }
  const drive = (async () => {
    let tick = 0
    while (!run.stop) {
      const due = Math.floor((performance.now() - t0) / 1000 * opts.rate)
      while (s.submitted + s.skipped < due) {
        let inc = pool[next % pool.length]!
        for (let k = 0; k < pool.length && inc.busy; k++) inc = pool[++next % pool.length]!
        next++
        const body = nextAction(inc.state)
        if (inc.busy || !body) {
          s.skipped++
          continue
        }
        inc.busy = true
        s.submitted++
        const target = inc
        void ctx.incidents.act(target.id, body, benchCall(`${opts.tag}:a:${s.submitted}`)).then((r) => {
          target.busy = false
          if (r.ok) {
            s.acked++
            target.state = r.data.state
          }
          else {
            s.failed++
            s.lastError = `${body.action} on ${target.state}: ${r.message}`
          }
        }, (e: unknown) => {
          target.busy = false
          s.failed++
          s.lastError = String(e)
        })
      }
      const sec = Math.floor((performance.now() - t0) / 1000)
      if (sec >= tick) {
        tick = sec + 1
        const at = new Date().toISOString()
        for (const w of workers) {
          w.lon = w.lon0 + Math.max(-0.002, Math.min(0.002, w.lon - w.lon0 + (Math.random() - 0.5) * 0.0004))
          w.lat = w.lat0 + Math.max(-0.002, Math.min(0.002, w.lat - w.lat0 + (Math.random() - 0.5) * 0.0004))
          ctx.presence.update({ id: w.id, lon: w.lon, lat: w.lat, at })
        }
      }
      await sleep(20)
    }
  })()
  return {
    async stop() {
      run.stop = true
      await drive
      s.elapsedS = (performance.now() - t0) / 1000
      return s
    },
  }
}
