import { describe, expect, it } from 'vitest'
import { applyChanges, applyLoad, holdOperation, isNewer } from '../../../client/wartime/reconcile.ts'
import { JULY_RAINSTORM_PLAN } from '../../../shared/wartime/default-plans.ts'
import { change, held, operation, state, task, warning } from './factories.ts'

const plan = (version: number) => ({ ...JULY_RAINSTORM_PLAN, version })

describe('versions', () => {
  it('lets only a newer version replace the held one', () => {
    expect(isNewer(undefined, { id: 'a', version: 1 })).toBe(true)
    expect(isNewer({ id: 'a', version: 2 }, { id: 'a', version: 3 })).toBe(true)
    expect(isNewer({ id: 'a', version: 2 }, { id: 'a', version: 2 })).toBe(false)
    expect(isNewer({ id: 'a', version: 2 }, { id: 'a', version: 1 })).toBe(false)
  })
})

describe('live changes', () => {
  it('never lets an older task, warning, plan or operation version replace a newer one', () => {
    const h = held()
    applyChanges(h, [
      change(operation({ version: 3, reason: '新' })),
      change(task({ version: 2, state: 'acknowledged' })),
      change(warning({ version: 2, headline: '升级为红色' })),
    ])
    applyChanges(h, [{ seq: 90, at: '', kind: 'plan', action: 'edit', id: JULY_RAINSTORM_PLAN.id, data: plan(4) }])
    const changed = applyChanges(h, [
      change(operation({ version: 2, reason: '旧' })),
      change(task({ version: 1, state: 'sent' })),
      change(warning({ version: 1, headline: '黄色' })),
      { seq: 91, at: '', kind: 'plan', action: 'edit', id: JULY_RAINSTORM_PLAN.id, data: plan(3) },
    ])
    expect(changed.size).toBe(0)
    expect(h.operation?.reason).toBe('新')
    expect(h.tasks.get('t1')?.state).toBe('acknowledged')
    expect(h.warnings.get('w1')?.headline).toBe('升级为红色')
    expect(h.plans.get(JULY_RAINSTORM_PLAN.id)?.version).toBe(4)
  })

  it('names the parts that changed, and ignores kinds that are not wartime', () => {
    const h = held()
    expect([...applyChanges(h, [change(task()), change(warning())])].sort()).toEqual(['tasks', 'warnings'])
    expect(applyChanges(h, [{ seq: 99, at: '', kind: 'message', action: 'send', id: 'm1', data: {} } as never]).size).toBe(0)
  })

  it('keeps an ended warning as the version to compare against, so a replayed active one cannot come back', () => {
    const h = held()
    applyChanges(h, [change(warning()), change(warning({ version: 2, state: 'expired' }))])
    applyChanges(h, [change(warning())])
    expect(h.warnings.get('w1')?.state).toBe('expired')
  })

  it('lets the last operation\'s tasks go when a new one starts, and ignores a late change of an ended one', () => {
    const h = held()
    applyChanges(h, [change(operation()), change(task()), change(task({ id: 't9', operationId: 'op-0' }))])
    const changed = applyChanges(h, [change(operation({ id: 'op-2' })), change(task({ id: 't2', operationId: 'op-2' }))])
    expect(changed.has('tasks')).toBe(true)
    expect([...h.tasks.keys()].sort()).toEqual(['t2', 't9'])
    applyChanges(h, [change(operation({ version: 9, active: false }))])
    expect(h.operation?.id).toBe('op-2')
    expect(h.operation?.active).toBe(true)
  })

  it('takes an operation\'s end, and a later operation after that', () => {
    const h = held({ operation: operation() })
    holdOperation(h, operation({ version: 2, active: false }))
    expect(h.operation?.active).toBe(false)
    holdOperation(h, operation({ id: 'op-2' }))
    expect(h.operation?.id).toBe('op-2')
  })

  it('records which operation and warnings it saw, for a load in flight', () => {
    const touched = new Set<string>()
    applyChanges(held(), [change(operation()), change(warning({ id: 'w7' })), change(task())], touched)
    expect([...touched].sort()).toEqual(['operation', 'warning:w7'])
  })
})

describe('loads', () => {
  it('merges the answer by version: a slow load never takes back a live change', () => {
    const h = held()
    applyChanges(h, [change(operation({ version: 2, reason: '新' })), change(task({ version: 3, state: 'on_scene' })), change(warning({ version: 2 }))])
    applyLoad(h, state({ operation: operation({ reason: '旧' }), tasks: [task(), task({ id: 't2' })], warnings: [warning()] }), [], new Set())
    expect(h.operation?.reason).toBe('新')
    expect(h.tasks.get('t1')?.state).toBe('on_scene')
    expect(h.tasks.has('t2')).toBe(true)
    expect(h.warnings.get('w1')?.version).toBe(2)
  })

  it('holds the running plan from the answer and every plan from the list', () => {
    const h = held()
    const other = { ...plan(1), id: 'fire' }
    applyLoad(h, state({ operation: operation(), plan: plan(2) }), [plan(1), other], new Set())
    expect(h.plans.get(JULY_RAINSTORM_PLAN.id)?.version).toBe(2)
    expect(h.plans.has('fire')).toBe(true)
  })

  it('lets go of an operation and warnings the answer no longer lists', () => {
    const h = held()
    applyChanges(h, [change(operation()), change(warning()), change(warning({ id: 'w2', state: 'expired' }))])
    const changed = applyLoad(h, state(), [], new Set())
    expect(h.operation).toBeNull()
    expect(h.warnings.size).toBe(0)
    expect([...changed].sort()).toEqual(['operation', 'warnings'])
  })

  it('keeps what a live change touched while the answer was on its way', () => {
    const h = held()
    applyChanges(h, [change(operation()), change(warning())])
    applyLoad(h, state(), [], new Set(['operation', 'warning:w1']))
    expect(h.operation?.id).toBe('op-1')
    expect(h.warnings.has('w1')).toBe(true)
  })

  it('keeps an ended operation the answer does not list (nothing runs either way)', () => {
    const h = held({ operation: operation({ active: false }) })
    expect(applyLoad(h, state(), [], new Set()).has('operation')).toBe(false)
    expect(h.operation?.active).toBe(false)
  })
})
