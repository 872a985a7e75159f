import type { TestApp } from '../../helpers/app.ts'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { matchPlan } from '../../../shared/wartime/plans.ts'
import { buildTestApp } from '../../helpers/app.ts'

// Leaders' screens are read-only. The one thing a leader account changes is its own wartime task: plans task
// contact leaders by name (包联领导到岗指挥). Nobody else's task, and never from a share link or a wall display.

let t: TestApp
let leaderTask: { id: string, assigneeId: string }
let otherTask: { id: string }

beforeAll(async () => {
  t = await buildTestApp()
  await t.app.inject({ method: 'POST', url: '/api/wartime/declare', headers: await t.as('commander'), payload: { reason: '暴雨红色预警', planId: 'rainstorm-red' } })
  await t.app.inject({ method: 'POST', url: '/api/wartime/activate', headers: await t.as('operator'), payload: { planId: 'rainstorm-red' } })
  const assignments = matchPlan((await t.ctx.wartime.plan('rainstorm-red'))!, t.ctx.reference)
  const lead = assignments.find(a => a.templateId === 'lead')!
  leaderTask = (await t.ctx.wartime.tasksOf(lead.personId))[0]!
  otherTask = (await t.ctx.wartime.tasksOf(assignments.find(a => a.templateId === 'patrol')!.personId))[0]!
})
afterAll(() => t.close())

function report(taskId: string, headers: Record<string, string>) {
  return t.app.inject({ method: 'POST', url: `/api/tasks/${taskId}/status`, headers, payload: { state: 'acknowledged' } })
}

describe('task reports', () => {
  it('lets a contact leader acknowledge the task a plan gave them', async () => {
    const person = t.ctx.reference.org.people.find(p => p.id === leaderTask.assigneeId)!
    expect(person.roles).toEqual(['leader'])
    const res = await report(leaderTask.id, await t.phoneOf(person.id))
    expect(res.statusCode).toBe(200)
    expect(res.json()).toMatchObject({ state: 'acknowledged' })
  })

  it('refuses a leader on someone else\'s task, and a wall or a share link on any', async () => {
    const share = await t.shareSession()
    const codes = [
      (await report(otherTask.id, await t.as('leader'))).statusCode,
      (await report(otherTask.id, await t.as('wall'))).statusCode,
      (await report(otherTask.id, share)).statusCode,
    ]
    expect(codes).toEqual([403, 403, 403])
  })
})
