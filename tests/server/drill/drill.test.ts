import type { AppContext } from '../../../server/context.ts'
import type { DrillReport } from '../../../server/drill/report.ts'
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import ExcelJS from 'exceljs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildApp } from '../../../server/app.ts'
import { ensureAccounts } from '../../../server/auth/accounts.ts'
import { createContext } from '../../../server/context.ts'
import { createSqliteStore } from '../../../server/db/sqlite/store.ts'
import { runDrill } from '../../../server/drill/run.ts'
import { RESPONDER_SHEET } from '../../../server/drill/xlsx.ts'
import { startWartimeClock } from '../../../server/wartime/clock.ts'
import { testConfig } from '../../helpers/app.ts'

/** The real app on a loopback port (the wartime clock started on demand), phones allowed to sign in quickly. */
async function server() {
  const store = createSqliteStore({ file: ':memory:' })
  const ctx: AppContext = await createContext(testConfig({ loginAttemptsPerMinute: 500 }), { store })
  await ensureAccounts(ctx)
  const { app } = await buildApp(ctx)
  await app.listen({ port: 0, host: '127.0.0.1' })
  const addr = app.server.address()
  let stopClock = () => {}
  return {
    ctx,
    url: `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`,
    startClock: () => (stopClock = startWartimeClock(ctx, 250)),
    async close() {
      stopClock()
      await app.close()
      ctx.presence.close()
      await store.close()
    },
  }
}

let s: Awaited<ReturnType<typeof server>>
const out = mkdtempSync(join(tmpdir(), 'onescreen-drill-test-'))
beforeAll(async () => {
  s = await server()
})
afterAll(async () => {
  await s.close()
  rmSync(out, { recursive: true, force: true })
})

describe('the drill\'s loss check', () => {
  it('names a task neither acknowledged nor escalated when the server\'s acknowledgement clock is not running', async () => {
    const report = await runDrill({ url: s.url, responders: 6, speed: 600, seed: 'no-clock', silentShare: 0.34, lateShare: 0, out: null, capMs: 4000 })
    expect(report.ok).toBe(false)
    expect(report.figures.lost.length).toBe(2)
    expect(report.figures.lost.map(l => l.name).sort()).toEqual(report.rows.filter(r => r.temper === 'silent').map(r => r.name).sort())
    expect(report.notes).toContainEqual(expect.stringContaining('时间上限'))
  })
})

describe('the storm drill', () => {
  let report: DrillReport

  beforeAll(async () => {
    s.startClock()
    report = await runDrill({ url: s.url, responders: 20, speed: 600, seed: 'ci', silentShare: 0.15, lateShare: 0.15, out })
  }, 60_000)

  it('reaches exactly the responders asked for, each with a real phone', () => {
    expect(report.rows).toHaveLength(20)
    expect(report.figures.phones).toBe(20)
    expect(new Set(report.rows.map(r => r.taskId)).size).toBe(20)
  })

  it('delivers every task to its phone, and every one ends acknowledged or escalated: none silently lost', () => {
    expect(report.errors).toEqual([])
    expect(report.figures.delivered).toBe(20)
    expect(report.rows.filter(r => r.deliveredMs === null).map(r => r.name)).toEqual([])
    expect(report.rows.filter(r => r.serverAckAt === null && r.escalatedTo.length === 0).map(r => `${r.name}: ${r.finalState}`)).toEqual([])
    expect(report.figures.lost).toEqual([])
    expect(report.ok).toBe(true)
  })

  it('re-sends a silent responder\'s task at its deadline, then escalates it to the grid\'s supervisors', async () => {
    const silent = report.rows.filter(r => r.temper === 'silent')
    expect(silent.length).toBe(3)
    const tasks = new Map((await s.ctx.wartime.tasks(report.operationId!)).map(t => [t.id, t]))
    const rosters = new Map(s.ctx.reference.org.rosters.map(r => [r.gridId, r]))
    for (const r of silent) {
      expect(r.serverAckAt).toBeNull()
      expect(r.resends).toBe(1)
      expect(r.resentMs).not.toBeNull()
      expect(r.escalatedMs!).toBeGreaterThan(r.resentMs!)
      // The grid's instructor and contact leader, unless the silent one is one of them.
      const task = tasks.get(r.taskId)!
      const roster = rosters.get(task.gridId!)!
      expect(task.escalatedTo, r.name).toEqual([roster.instructorId, roster.contactLeaderId].filter(id => id !== task.assigneeId))
    }
    expect(report.figures.neverAnswered.sort()).toEqual(silent.map(r => r.name).sort())
  })

  it('lets a late responder answer the re-send before anyone is told', () => {
    const late = report.rows.filter(r => r.temper === 'late')
    expect(late.length).toBe(3)
    for (const r of late) {
      expect(r.resentMs).not.toBeNull()
      expect(r.ackMs!).toBeGreaterThan(r.resentMs!)
      expect(r.escalatedTo).toEqual([])
    }
  })

  it('ends wartime, with every unanswered task cancelled by the end and the phones signed out', async () => {
    expect(await s.ctx.wartime.active()).toBeNull()
    const tasks = await s.ctx.wartime.tasks(report.operationId!)
    expect(tasks).toHaveLength(20)
    expect(tasks.filter(t => t.state !== 'done' && t.state !== 'cancelled').map(t => `${t.id} ${t.state}`)).toEqual([])
    expect(report.timeline.filter(e => e.source === 'operation').map(e => e.text.slice(0, 4))).toEqual(['宣布进入', '启动【演', '结束战时'])
  })

  it('writes the after-action report: escaped HTML and an XLSX row per responder', async () => {
    expect(existsSync(report.files!.html)).toBe(true)
    const html = readFileSync(report.files!.html, 'utf8')
    expect(html).toContain('演练复盘报告')
    expect(html).not.toMatch(/<script|<link|src="http/)
    expect(html).toContain(report.rows[0]!.name)
    const wb = new ExcelJS.Workbook()
    await wb.xlsx.readFile(report.files!.xlsx)
    const sheet = wb.getWorksheet(RESPONDER_SHEET)!
    const rows = sheet.getRows(2, sheet.rowCount - 1)!.filter(r => r.getCell(1).value)
    expect(rows).toHaveLength(20)
    expect(rows.map(r => r.getCell(2).value).sort()).toEqual(report.rows.map(r => r.personId).sort())
  })
})
