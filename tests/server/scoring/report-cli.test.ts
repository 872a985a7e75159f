import { spawn } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import ExcelJS from 'exceljs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createSqliteStore } from '../../../server/db/sqlite/store.ts'
import { buildBackfill } from '../../../server/demo/sim/backfill.ts'
import { seedPackage } from '../../../server/setup/service.ts'
import { buildCuntanPackage } from '../../../server/territory/cuntan/package.ts'
import { addMonths, monthOf } from '../../../shared/kernel/time.ts'
import { DEFAULT_CATALOG } from '../../../shared/organisation/catalog.ts'

// `npm run report` as a scheduled job runs it: on an embedded store in a data directory, for last month.

const root = join(import.meta.dirname, '../../..')
let dir: string
const month = addMonths(monthOf(Date.now()), -1)

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'os-report-'))
  const store = createSqliteStore({ file: join(dir, 'onescreen.sqlite') })
  await store.migrate()
  const pkg = buildCuntanPackage()
  const ref = pkg.reference
  await seedPackage(store, pkg)
  await store.importMutations(buildBackfill(ref, DEFAULT_CATALOG, { now: new Date(), months: 1, seed: 'cli' }))
  await store.close()
})
afterAll(() => rmSync(dir, { recursive: true, force: true }))

/** `npm run report` with these arguments, as a process of its own. */
function cli(...args: string[]): Promise<{ status: number | null, stdout: string, stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/report.ts', ...args], { cwd: root, timeout: 60_000 })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (d: Buffer) => (stdout += d))
    child.stderr.on('data', (d: Buffer) => (stderr += d))
    child.on('error', reject)
    child.on('close', status => resolve({ status, stdout, stderr }))
  })
}
const report = (...args: string[]) => cli('--data-dir', dir, ...args)

describe('npm run report', () => {
  it('freezes last month and writes its workbook', async () => {
    const out = join(dir, 'monthly.xlsx')
    const run = await report('--month', month, '--out', out)
    expect(run.status, run.stderr).toBe(0)
    expect(run.stdout).toContain(`${month} (frozen`)
    expect(run.stdout).toContain('| 1 |')
    const wb = new ExcelJS.Workbook()
    await wb.xlsx.readFile(out)
    expect(wb.getWorksheet('月度考评')!.rowCount).toBe(1 + 127)
    const again = await report('--month', month, '--out', join(dir, 'again.xlsx'))
    expect(again.stdout.split('\n')[0]).toBe(run.stdout.split('\n')[0]) // same frozenAt: frozen once
  })

  it('writes CSV when the file name says so, and refuses bad input with a clear message', async () => {
    const out = join(dir, 'monthly.csv')
    // Three runs that do not touch each other's files: side by side.
    const [csv, bad, none] = await Promise.all([
      report('--month', month, '--out', out),
      report('--month', '2026-13'),
      cli('--data-dir', join(dir, 'nothing-here'), '--month', month),
    ])
    expect(csv.status, csv.stderr).toBe(0)
    expect(readFileSync(out, 'utf8')).toMatch(/^\uFEFF排名 Rank/)
    expect(bad.status).toBe(1)
    expect(bad.stderr).toContain('--month must be YYYY-MM')
    expect(none.status).toBe(1)
    expect(none.stderr).toContain('no store at')
  })
})
