import type { FieldError } from '../http/validation.ts'
import { PostRequestT } from '../../shared/open311/schema.ts'
import { compileCheck } from '../http/validation.ts'

// A POST body as GeoReport clients send it: `application/x-www-form-urlencoded` with `attribute[code]=value` (and
// `attribute[code][]=value` for a multivaluelist), or the same as JSON (flat keys, or `attribute` as an object).
// Gathered into one object, then checked like every payload before anything acts on it.

const FIELDS = new Set(Object.keys(PostRequestT.properties).filter(k => k !== 'attribute'))
const ATTRIBUTE = /^attribute\[([^\]]*)\](\[\])?$/
const check = compileCheck(PostRequestT)

type Raw = Record<string, unknown>

/** A form body as pairs; a key that repeats keeps every value. */
export function parseForm(body: string): Raw {
  const out: Raw = Object.create(null) as Raw
  for (const [k, v] of new URLSearchParams(body)) {
    const had = out[k]
    out[k] = had === undefined ? v : Array.isArray(had) ? [...had, v] : [had, v]
  }
  return out
}

/** A value a client sent as a number or flag where the spec has text (JSON clients do): its text. */
const scalar = (v: unknown) => (typeof v === 'number' || typeof v === 'boolean' ? String(v) : v)

/**
 * The request's fields and attributes, gathered. Keys the spec does not define are left out (clients add their
 * own, e.g. a locale); nothing unknown is carried further. Attribute codes land in a prototype-free object.
 */
export function gather(raw: unknown): { value: unknown, error: FieldError | null } {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw))
    return { value: raw, error: { field: 'body', message: 'body must be a form or a JSON object' } }
  const out: Raw = { attribute: Object.create(null) as Raw }
  const attribute = out.attribute as Raw
  const put = (code: string, v: unknown, many: boolean) => {
    const values = (Array.isArray(v) ? v : [v]).map(scalar)
    attribute[code] = many || values.length > 1 ? values : values[0]
  }
  for (const [k, v] of Object.entries(raw as Raw)) {
    const m = ATTRIBUTE.exec(k)
    if (m)
      put(m[1]!, v, m[2] !== undefined)
    else if (k === 'attribute' && v !== null && typeof v === 'object' && !Array.isArray(v))
      Object.entries(v as Raw).forEach(([code, x]) => put(code, x, Array.isArray(x)))
    else if (FIELDS.has(k))
      out[k] = Array.isArray(v) ? scalar(v[0]) : k === 'lat' || k === 'long' ? v : scalar(v)
  }
  return { value: out, error: check(out) }
}
