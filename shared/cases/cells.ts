import type { Cell } from './columns.ts'
import { fromLocal } from '../kernel/time.ts'

// Typed values out of one import row's cells. Every value that cannot be used is reported through `bad`, naming
// its column; the row goes on being read, so all of a row's problems are reported together.

export interface RowReader {
  get: (key: string) => Cell
  /** A problem with this row's value in column `key`. */
  bad: (key: string, code: string, zh: string, en: string) => void
}

const PHOTO_RE = /^[a-f0-9]{64}$/
const LOCAL_RE = /^(\d{4})[-/](\d{1,2})[-/](\d{1,2})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?$/

export function str(r: RowReader, key: string): string {
  const c = r.get(key)
  return c === null || c === undefined ? '' : String(c).trim()
}

/** An ISO instant with its offset as is; a bare `2025-03-01 10:00` (or a date) is Asia/Shanghai time. */
export function parseTime(raw: string): string | null {
  const m = LOCAL_RE.exec(raw)
  if (m) {
    const [, y, mo, d, h, mi, s] = m
    const [month, day, hour, minute, second] = [mo, d, h, mi, s].map(v => Number(v ?? 0)) as [number, number, number, number, number]
    if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 59)
      return null
    return new Date(fromLocal(Number(y), month - 1, day, hour, minute, second)).toISOString()
  }
  if (!/^\d{4}-\d{2}-\d{2}T/.test(raw))
    return null
  const t = Date.parse(raw)
  return Number.isFinite(t) ? new Date(t).toISOString() : null
}

export function time(r: RowReader, key: string, required = false): string | null {
  const raw = str(r, key) || str(r, `${key}Local`)
  if (raw === '') {
    if (required)
      r.bad(key, 'missing_value', '不能为空', 'must not be empty')
    return null
  }
  const t = parseTime(raw)
  if (t === null)
    r.bad(key, 'bad_time', `“${raw}”不是有效时间（如 2025-03-01T10:00:00+08:00 或 2025-03-01 10:00）`, `"${raw}" is not a time (e.g. 2025-03-01T10:00:00+08:00 or 2025-03-01 10:00)`)
  return t
}

/** A key or its Chinese name. */
export function choice<K extends string>(r: RowReader, key: string, names: Record<K, string>): K | undefined {
  const raw = str(r, key)
  if (raw === '')
    return undefined
  const hit = (Object.keys(names) as K[]).find(k => k === raw || names[k] === raw)
  if (hit === undefined)
    r.bad(key, 'bad_value', `“${raw}”不是可选值（${Object.values<string>(names).join('、')}）`, `"${raw}" is not one of ${Object.keys(names).join(', ')}`)
  return hit
}

export function int(r: RowReader, key: string, min: number, max: number): number | undefined {
  const raw = str(r, key)
  if (raw === '')
    return undefined
  const n = Number(raw)
  if (!Number.isInteger(n) || n < min || n > max) {
    r.bad(key, 'bad_value', `“${raw}”不是 ${min} 至 ${max} 的整数`, `"${raw}" is not an integer from ${min} to ${max}`)
    return undefined
  }
  return n
}

export function num(r: RowReader, key: string, min: number, max: number): number | undefined {
  const raw = str(r, key)
  const n = Number(raw)
  if (raw === '' || !Number.isFinite(n) || n < min || n > max) {
    r.bad(key, raw === '' ? 'missing_value' : 'bad_value', raw === '' ? '不能为空' : `“${raw}”不是 ${min} 至 ${max} 的数字`, raw === '' ? 'must not be empty' : `"${raw}" is not a number from ${min} to ${max}`)
    return undefined
  }
  return n
}

export function json<T>(r: RowReader, key: string, ok: (v: unknown) => v is T, what: string): T | undefined {
  const raw = str(r, key)
  if (raw === '')
    return undefined
  try {
    const v: unknown = JSON.parse(raw)
    if (ok(v))
      return v
  }
  catch {}
  r.bad(key, 'bad_json', `不是有效的 JSON ${what}`, `not valid JSON (${what})`)
  return undefined
}

export const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v)
export const isStrings = (v: unknown): v is string[] => Array.isArray(v) && v.every(x => typeof x === 'string')
export const isArray = (v: unknown): v is unknown[] => Array.isArray(v)
export const split = (s: string) => s.split(/[;；]/).map(x => x.trim()).filter(Boolean)

export function photos(r: RowReader, key: string): string[] | undefined {
  const ids = split(str(r, key))
  const badIds = ids.filter(p => !PHOTO_RE.test(p))
  if (badIds.length)
    r.bad(key, 'bad_value', `照片编号应为 64 位十六进制：${badIds[0]}`, `a photo id is 64 hex digits: ${badIds[0]}`)
  return ids.length ? ids : undefined
}

export function satisfied(r: RowReader): boolean | null {
  const raw = str(r, 'satisfied').toLowerCase()
  if (raw === '')
    return null
  if (['是', '满意', 'true', '1', 'yes'].includes(raw))
    return true
  if (['否', '不满意', 'false', '0', 'no'].includes(raw))
    return false
  r.bad('satisfied', 'bad_value', `“${raw}”应为 是/否`, `"${raw}" is not yes/no (是/否)`)
  return null
}
