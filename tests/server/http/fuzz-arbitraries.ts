import fc from 'fast-check'

// Values for the fuzz test, derived from the routes' own JSON schemas (TypeBox compiles to JSON Schema), so a
// new route or field is fuzzed without anyone listing it here.

export interface JsonSchema {
  type?: string
  properties?: Record<string, JsonSchema>
  required?: string[]
  additionalProperties?: boolean
  items?: JsonSchema
  anyOf?: JsonSchema[]
  const?: unknown
  minLength?: number
  maxLength?: number
  minimum?: number
  maximum?: number
  exclusiveMinimum?: number
  minItems?: number
  maxItems?: number
  uniqueItems?: boolean
  pattern?: string
  format?: string
}

/** Values the server knows for a field of this name (ids, codes, a point in a grid), so valid requests get past lookups. */
export type Hints = (key: string) => fc.Arbitrary<unknown> | undefined

/** Longer strings than this are left to the `wild` values: valid ones stay small and fast. */
const SHORT = 40

/** A value the schema accepts; fields with a hint mostly take a value the server knows. */
export function valid(schema: JsonSchema, hints: Hints, key = ''): fc.Arbitrary<unknown> {
  // A hint names one value: for a list (`gridIds`) it applies to the items.
  const hinted = key && schema.type !== 'array' ? hints(key) : undefined
  const own = validOwn(schema, hints, key)
  return hinted ? fc.oneof({ arbitrary: hinted, weight: 3 }, { arbitrary: own, weight: 1 }) : own
}

function validOwn(s: JsonSchema, hints: Hints, key: string): fc.Arbitrary<unknown> {
  if (s.const !== undefined)
    return fc.constant(s.const)
  if (s.anyOf)
    return fc.oneof(...s.anyOf.map(a => valid(a, hints, key)))
  switch (s.type) {
    case 'object': {
      const model = Object.fromEntries(Object.entries(s.properties ?? {}).map(([k, p]) => [k, valid(p, hints, k)]))
      return fc.record(model, { requiredKeys: s.required ?? [] })
    }
    case 'array': {
      const item = valid(s.items ?? {}, hints, key)
      const size = { minLength: s.minItems ?? 0, maxLength: Math.min(s.maxItems ?? 4, Math.max(s.minItems ?? 0, 4)) }
      return s.uniqueItems ? fc.uniqueArray(item, { ...size, selector: v => JSON.stringify(v) }) : fc.array(item, size)
    }
    case 'string': {
      if (s.format === 'date-time')
        return fc.date({ min: new Date('2020-01-01'), max: new Date('2030-01-01'), noInvalidDate: true }).map(d => d.toISOString())
      const size = { minLength: s.minLength ?? 0, maxLength: Math.min(s.maxLength ?? SHORT, Math.max(s.minLength ?? 0, SHORT)) }
      if (s.pattern)
        return fc.stringMatching(new RegExp(s.pattern)).filter(v => v.length >= size.minLength && v.length <= (s.maxLength ?? Infinity))
      return fc.string(size)
    }
    case 'integer':
      return fc.integer({ min: s.minimum ?? -1_000_000, max: s.maximum ?? 1_000_000 })
    case 'number':
      return fc.double({ min: s.exclusiveMinimum ?? s.minimum ?? -1e6, max: s.maximum ?? 1e6, minExcluded: s.exclusiveMinimum !== undefined, noNaN: true })
    case 'boolean':
      return fc.boolean()
    case 'null':
      return fc.constant(null)
    default:
      return fc.jsonValue({ maxDepth: 2 })
  }
}

// Huge values are markers (`\0x*300000\0`: "x" 300,000 times; `\0deep*5000\0`: JSON nested 5,000 deep) that
// become the real thing only when sent, so a counterexample fast-check prints stays readable.
export const big = (n: number, unit = 'x') => `\u0000${unit}*${n}\u0000`
export const deep = (n: number) => big(n, 'deep')
const nested = (n: number) => n % 2 ? `${'['.repeat(n)}${']'.repeat(n)}` : `${'{"a":'.repeat(n)}1${'}'.repeat(n)}`

/** Markers to real values, in raw text and in JSON text (where \0 is escaped, and a deep marker replaces its whole string). */
export function expand(text: string): string {
  return text
    .replace(/"\\u0000deep\*(\d+)\\u0000"|\0deep\*(\d+)\0/g, (_, a?: string, b?: string) => nested(Number(a ?? b)))
    .replace(/(?:\\u0000|\0)([^\0*\\]+)\*(\d+)(?:\\u0000|\0)/g, (_, unit: string, n: string) => unit.repeat(Number(n)))
}

/** Whether JSON text holds a nesting marker. */
export const hasDeep = (text: string) => /\\u0000deep\*\d+\\u0000/.test(text)

/** Hostile values: wrong types, edge numbers, huge and odd strings, nesting deep enough to hurt a recursive validator. */
export const wild: fc.Arbitrary<unknown> = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }),
  fc.constantFrom(null, true, 0, -1, -0, 1e308, -1e308, 2 ** 53 + 1, 0.1, '', ' ', 'null', '0', '-1', 'NaN', '1e400', '[]', '{}'),
  fc.string({ unit: 'binary', maxLength: 60 }),
  fc.integer({ min: 1, max: 8 }).map(n => '\u{1F600}\u0301\u202E'.repeat(n * 40)),
  fc.constantFrom(big(300_000), big(100_000), big(65), big(201)),
  fc.constantFrom(deep(5000), deep(5001), deep(100_000), deep(100_001)),
  fc.array(fc.string(), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 1 }), { maxKeys: 4 }),
)

type Mutation = 'drop' | 'retype' | 'extra' | 'null' | 'proto'

/** An object next to the schema: valid but for one change somewhere inside it (a missing, retyped or extra field). */
export function nearMiss(schema: JsonSchema, hints: Hints): fc.Arbitrary<unknown> {
  const mutation = fc.constantFrom<Mutation>('drop', 'retype', 'retype', 'extra', 'null', 'proto')
  return fc.tuple(valid(schema, hints), mutation, fc.nat(), wild, fc.string({ maxLength: 12 }))
    .map(([value, m, at, w, extraKey]) => mutate(value, m, at, w, extraKey))
}

function mutate(value: unknown, m: Mutation, at: number, w: unknown, extraKey: string): unknown {
  const copy = structuredClone(value)
  const holders = containers(copy)
  const target = holders[at % holders.length]
  if (!target)
    return w
  const keys = Object.keys(target)
  const key = keys.length ? keys[at % keys.length]! : extraKey
  const t = target as Record<string, unknown>
  if (m === 'drop' && Array.isArray(target))
    target.pop()
  else if (m === 'drop')
    delete t[key]
  else if (m === 'proto')
    Object.defineProperty(t, '__proto__', { value: { polluted: true }, enumerable: true, configurable: true, writable: true })
  else if (m === 'extra')
    t[`x${extraKey}`] = w
  else
    t[key] = m === 'null' ? null : w
  return copy
}

/** The value itself and every object or array inside it, outermost first. */
function containers(v: unknown, out: object[] = []): object[] {
  if (v && typeof v === 'object') {
    out.push(v)
    for (const child of Object.values(v))
      containers(child, out)
  }
  return out
}

/**
 * Where a request schema lets unchecked data in: an object open to unknown keys, a schema that takes anything, or
 * `uniqueItems` (TypeBox's error report hashes every item, whatever its type, recursively).
 */
export function openings(s: JsonSchema, path = 'body'): string[] {
  if (s.const !== undefined)
    return []
  if (s.anyOf)
    return s.anyOf.flatMap(a => openings(a, path))
  switch (s.type) {
    case 'object':
      return [
        ...(s.additionalProperties === false ? [] : [path]),
        ...Object.entries(s.properties ?? {}).flatMap(([k, p]) => openings(p, `${path}.${k}`)),
      ]
    case 'array':
      return [...(s.uniqueItems ? [`${path} (uniqueItems)`] : []), ...(s.items ? openings(s.items, `${path}[]`) : [path])]
    case 'string': case 'integer': case 'number': case 'boolean': case 'null':
      return []
    default:
      return [path]
  }
}
