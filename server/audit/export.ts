import type { AuditFilter } from '../../shared/auth/admin-schema.ts'
import type { AuditEntry, AuditQuery } from '../db/auth-store.ts'
import { fromLocal, localIso } from '../../shared/kernel/time.ts'

// The audit trail as the admin console filters and exports it: days are Asia/Shanghai days, exports have
// Chinese headers (the people who read them are the subdistrict's), times local with their offset.

type Row = AuditEntry & { id: number }

function dayInstant(day: string, shift = 0) {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number]
  return new Date(fromLocal(y, m - 1, d + shift)).toISOString()
}

/** The store's query for a filter: `from`/`to` are whole local days, `to` included. */
export function auditQuery(f: AuditFilter): Omit<AuditQuery, 'limit' | 'offset'> {
  return { since: f.since, from: f.from && dayInstant(f.from), to: f.to && dayInstant(f.to, 1), actorId: f.actor || undefined, action: f.action || undefined, target: f.target || undefined, result: f.result }
}

const RESULT_ZH: Record<string, string> = { allow: '允许', deny: '拒绝', fail: '失败' }
export const AUDIT_HEADERS = ['编号', '时间', '操作者类型', '操作者', '角色', 'IP', '渠道', '操作', '对象', '结果', '说明']
const widths = [8, 26, 10, 20, 18, 16, 8, 22, 30, 8, 60]

function cells(r: Row): (string | number)[] {
  return [r.id, localIso(r.at), r.actorKind, r.actorId, r.role ?? '', r.ip ?? '', r.via, r.action, r.target ?? '', RESULT_ZH[r.result] ?? r.result, r.detail ?? '']
}

/** CSV with a BOM (Excel opens it as UTF-8); a cell that a spreadsheet would run as a formula is quoted out. */
export function auditCsv(rows: Row[]): string {
  const cell = (v: string | number) => {
    if (typeof v === 'number')
      return String(v)
    const safe = /^[=+\-@\t\r]/.test(v) ? `'${v}` : v
    return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe
  }
  return `\uFEFF${[AUDIT_HEADERS, ...rows.map(cells)].map(r => r.map(cell).join(',')).join('\r\n')}\r\n`
}

export async function auditWorkbook(rows: Row[], at: Date): Promise<Buffer> {
  // Loaded when asked for: exceljs costs ~0.7 s to import.
  const { default: Excel } = await import('exceljs')
  const wb = new Excel.Workbook()
  wb.creator = 'OneScreen 一屏统揽'
  wb.created = at
  const ws = wb.addWorksheet('审计日志', { views: [{ state: 'frozen', ySplit: 1 }] })
  ws.columns = AUDIT_HEADERS.map((header, i) => ({ header, width: widths[i] ?? 12 }))
  ws.getRow(1).font = { bold: true }
  for (const r of rows) ws.addRow(cells(r))
  return Buffer.from(await wb.xlsx.writeBuffer())
}
