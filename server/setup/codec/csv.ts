import type { Cell } from './table.ts'

// RFC 4180 CSV, UTF-8 with a BOM (so Excel opens Chinese text correctly), CRLF line ends.

const BOM = '\uFEFF'

function quote(c: Cell): string {
  const s = c === null ? '' : String(c)
  return /[",\r\n]/.test(s) || s !== s.trim() ? `"${s.replaceAll('"', '""')}"` : s
}

export function writeCsv(rows: Cell[][]): Buffer {
  return Buffer.from(`${BOM + rows.map(r => r.map(quote).join(',')).join('\r\n')}\r\n`, 'utf8')
}

/** Every record as strings; a blank line is an empty record (it keeps row numbers as Excel would show them). */
export function parseCsv(data: Buffer): string[][] {
  let text = data.toString('utf8')
  if (text.startsWith(BOM))
    text = text.slice(1)
  const records: string[][] = []
  let record: string[] = []
  let field = ''
  let quoted = false
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"'
        i++
      }
      else if (ch === '"') {
        quoted = false
      }
      else {
        field += ch
      }
    }
    else if (ch === '"') {
      quoted = true
    }
    else if (ch === ',') {
      record.push(field)
      field = ''
    }
    else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n')
        i++
      record.push(field)
      records.push(record)
      record = []
      field = ''
    }
    else {
      field += ch
    }
  }
  if (field !== '' || record.length > 0) {
    record.push(field)
    records.push(record)
  }
  return records
}
