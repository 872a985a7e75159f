import type { Plan } from '../../../shared/wartime/schema.ts'
import { createPinia, setActivePinia } from 'pinia'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { useWartimeStore } from '../../../client/wartime/store.ts'
import { JULY_RAINSTORM_PLAN } from '../../../shared/wartime/default-plans.ts'
import { change, operation, state, task, warning } from './factories.ts'

/** A server stand-in: answers GET /api/wartime and /api/plans from what the test sets, records what was asked. */
function fakeServer() {
  const asked: string[] = []
  const server = { wartime: state(), plans: [] as Plan[], asked, hold: null as Promise<void> | null }
  vi.stubGlobal('fetch', async (path: string) => {
    asked.push(path)
    const body = path === '/api/plans' ? server.plans : server.wartime
    await server.hold
    return new Response(JSON.stringify(body), { status: 200 })
  })
  return server
}

const settle = () => new Promise(r => setTimeout(r, 0))

describe('the wartime store', () => {
  beforeEach(() => setActivePinia(createPinia()))
  afterEach(() => vi.unstubAllGlobals())

  it('gives a screen that asks for nothing more only the running operation and its plan', async () => {
    const server = fakeServer()
    server.wartime = state({ operation: operation(), plan: JULY_RAINSTORM_PLAN, tasks: [task({ state: 'acknowledged' }), task({ id: 't2' })] })
    const s = useWartimeStore()
    await s.load()
    expect(server.asked).toEqual(['/api/wartime'])
    expect(s.active).toBe(true)
    expect(s.plan?.id).toBe(JULY_RAINSTORM_PLAN.id)
    expect(s.opTasks).toHaveLength(2)
  })

  it('reads every plan for the wall, so a proposed plan can be offered before it runs', async () => {
    const server = fakeServer()
    server.plans = [JULY_RAINSTORM_PLAN]
    server.wartime = state({ warnings: [warning()] })
    const s = useWartimeStore()
    await s.load({ allPlans: true })
    expect(server.asked.sort()).toEqual(['/api/plans', '/api/wartime'])
    expect(s.proposal?.id).toBe('w1')
    expect(s.plans.get(s.proposal!.proposal!.planId)?.name).toBe(JULY_RAINSTORM_PLAN.name)
  })

  it('reads the operation again, once, when it names a plan the screen does not hold', async () => {
    const server = fakeServer()
    const s = useWartimeStore()
    await s.load()
    server.wartime = state({ operation: operation({ version: 2 }), plan: JULY_RAINSTORM_PLAN })
    s.apply([change(operation({ version: 2 }))])
    s.apply([change(task())])
    await settle()
    expect(server.asked).toEqual(['/api/wartime', '/api/wartime'])
    expect(s.plan?.id).toBe(JULY_RAINSTORM_PLAN.id)
  })

  it('keeps a declaration that arrived while a load that had not seen it was on its way', async () => {
    const server = fakeServer()
    let release = () => {}
    server.hold = new Promise(r => (release = r))
    server.wartime = state({ plan: null })
    const s = useWartimeStore()
    const loading = s.load()
    s.apply([change(operation({ planId: null })), change(warning())])
    release()
    await loading
    expect(s.active).toBe(true)
    expect(s.activeWarnings.map(w => w.id)).toEqual(['w1'])
  })

  it('counts the operation\'s tasks the same for every screen, live by version', () => {
    fakeServer()
    const s = useWartimeStore()
    s.apply([change(operation({ planId: null })), change(task({ version: 2, state: 'acknowledged' })), change(task({ version: 1 }))])
    expect(s.opTasks.map(t => t.state)).toEqual(['acknowledged'])
    s.apply([change(operation({ version: 2, active: false, planId: null }))])
    expect(s.active).toBe(false)
  })

  it('follows presence events', () => {
    const s = useWartimeStore()
    s.presence({ personId: 'p1', online: true })
    expect(s.online.has('p1')).toBe(true)
    s.presence({ personId: 'p1', online: false })
    expect(s.online.has('p1')).toBe(false)
  })
})
