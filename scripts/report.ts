// `npm run report -- --month YYYY-MM [--out file] [--data-dir dir] [--format xlsx|csv]`
// Writes the monthly evaluation (月度考评) from the embedded store, for scheduled jobs. An ended month is
// frozen first (with every ended month before it), exactly as the server would; the running month is
// reported live and marked so. Prints the table's head and the headline figures.
import type { MonthResult } from '../shared/scoring/schema.ts'
import { existsSync, writeFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { configFromEnv, dbFile } from '../server/config.ts'
import { createSqliteStore } from '../server/db/sqlite/store.ts'
import { monthlyCsv, monthlyWorkbook } from '../server/scoring/report.ts'
import { createScoringService } from '../server/scoring/service.ts'
import { addMonths, hasEnded, isMonth, monthOf } from '../shared/kernel/time.ts'
import { catalogOf } from '../shared/setup/empty.ts'

function fail(message: string): never {
  console.error(`report: ${message}`)
  process.exit(1)
}

function table(result: MonthResult): string {
  const dim = (s: MonthResult['scores'][number], k: string) => s.dimensions.find(d => d.key === k)?.score?.toFixed(2) ?? '—'
  const head = ['名次', '网格员', '人员', '完整度', '活跃度', '完成率', '总分', '等级', '名次变化']
  const rows = result.scores.map(s => [String(s.rank), s.name, s.personId, dim(s, 'completeness'), dim(s, 'activity'), dim(s, 'completion'), s.total.toFixed(2), s.tier.name, s.rankChange === null ? '—' : s.rankChange === 0 ? '=' : s.rankChange > 0 ? `↑${s.rankChange}` : s.rankChange < 0 ? `↓${-s.rankChange}` : '—'])
  const shown = rows.length > 16 ? [...rows.slice(0, 12), ['…', '', '', '', '', '', '', '', ''], ...rows.slice(-3)] : rows
  return [head, ...shown].map(r => `| ${r.join(' | ')} |`).join('\n')
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { 'month': { type: 'string' }, 'out': { type: 'string' }, 'data-dir': { type: 'string' }, 'format': { type: 'string' } } })
  const month = values.month ?? addMonths(monthOf(Date.now()), -1)
  if (!isMonth(month))
    fail(`--month must be YYYY-MM, got ${month}`)
  if (month > monthOf(Date.now()))
    fail(`${month} has not started yet`)
  const format = values.format ?? (values.out?.toLowerCase().endsWith('.csv') ? 'csv' : 'xlsx')
  if (format !== 'xlsx' && format !== 'csv')
    fail(`--format must be xlsx or csv, got ${format}`)
  const config = configFromEnv(values['data-dir'] ? { ...process.env, ONESCREEN_DATA_DIR: values['data-dir'] } : process.env)
  const file = dbFile(config)
  if (!existsSync(file))
    fail(`no store at ${file} (start the server once, or pass --data-dir)`)

  const store = createSqliteStore({ file })
  try {
    await store.migrate()
    const stored = await store.getPackage()
    if (!stored)
      fail(`the store at ${file} holds no subdistrict package: import one on the setup page first`)
    const reference = stored.pkg.reference
    const scoring = createScoringService({ store, reference, catalog: catalogOf(stored.pkg), now: () => new Date() }, { config: stored.pkg.scoring })
    if (hasEnded(month, Date.now()))
      await scoring.freezeEnded(month)
    const result = await scoring.get(month)
    const out = resolve(values.out ?? `onescreen-monthly-${month}.${format}`)
    writeFileSync(out, format === 'csv' ? monthlyCsv(result, reference) : await monthlyWorkbook(result, reference))

    console.log(`${month} (${result.frozen ? `frozen ${result.frozenAt}` : 'live, not frozen: the month is still running'}) — ${result.scores.length} grid workers, config ${result.configVersion}\n`)
    console.log(table(result))
    console.log(`\n等级 tiers: ${result.rankings.tierCounts.map(c => `${c.name} ${c.count}`).join(' · ')}`)
    const star = (u: { name: string, score: number | null, star: boolean }[]) => u.filter(x => x.star).map(x => `${x.name} ${x.score?.toFixed(2)}`).join('、') || '—'
    console.log(`板块之星 ${star(result.rankings.sectors)} · 岗位之星 ${star(result.rankings.posts)} · 最佳社区 ${star(result.rankings.communities)}`)
    console.log(`最佳网格员候选 ${result.rankings.bestCandidates.map(b => `${b.name}(${b.total.toFixed(2)})`).join('、') || '— (no one in the top tier)'}`)
    for (const h of result.headline)
      console.log(`${h.label}: ${h.value ?? '暂无记录 not recorded'}${h.value === null ? '' : h.unit}${h.lastYear !== undefined ? ` (上年同月 ${h.lastYear}${h.change === null || h.change === undefined ? '' : `, ${(h.change * 100).toFixed(1)}%`})` : ''}`)
    console.log(`\nwrote ${out}`)
  }
  finally {
    await store.close()
  }
}

main().catch((e) => {
  console.error(e)
  process.exit(1)
})
