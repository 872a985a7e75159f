import type { AppContext } from '../../context.ts'
import { principalFor } from '../../../shared/auth/authz.ts'
import { daysFrom, dutyCandidates } from '../../../shared/duty/roster.ts'
import { dayOf } from '../../../shared/kernel/time.ts'
import { INTERNAL } from '../../audit/service.ts'

// The demo's duty rota: a subdistrict leader a day in turn, two duty operators a day in turn, written for the days
// around today that have none (an edit on the desk is kept), and topped up as the demo runs for weeks.

const DAY_MS = 86_400_000
const AHEAD = 14

export async function fillDutyRota(ctx: AppContext): Promise<number> {
  const { leaders, operators } = dutyCandidates(ctx.reference)
  const commander = ctx.reference.org.people.find(p => p.roles.includes('commander'))
  if (!commander || leaders.length === 0)
    return 0
  // The rota is the demo's own: written as the system, in the commander's name for the permission.
  const call = { principal: { ...principalFor(ctx.reference, commander.id, ['commander']), kind: 'system' as const }, origin: INTERNAL }
  const rota = leaders.filter(p => p.id !== commander.id)
  const desk = operators.filter(p => p.id !== commander.id)
  const { days } = await ctx.duty.roster({ from: dayOf(ctx.now().getTime() - DAY_MS), days: AHEAD + 1 })
  const have = new Set(days.map(d => d.id))
  let written = 0
  for (const date of daysFrom(dayOf(ctx.now().getTime() - DAY_MS), AHEAD + 1).filter(d => !have.has(d))) {
    const n = Math.floor(Date.parse(`${date}T00:00:00Z`) / DAY_MS)
    const ops = desk.length ? [desk[(2 * n) % desk.length]!, desk[(2 * n + 1) % desk.length]!] : []
    const res = await ctx.duty.set(call, date, { leaderId: (rota[n % rota.length] ?? commander).id, operatorIds: [...new Set(ops.map(o => o.id))] })
    if (res.ok)
      written++
  }
  return written
}

export function startDutyRota(ctx: AppContext): { stop: () => void } {
  const timer = setInterval(() => void fillDutyRota(ctx).catch((e: unknown) => console.error('demo duty rota:', e)), 6 * 3_600_000)
  timer.unref()
  return { stop: () => clearInterval(timer) }
}
