import type { TSchema } from 'typebox'
import { registerAjvFormats } from '@fastify/type-provider-typebox'
import { Compile } from 'typebox/compile'

// Type hints are not validation: every payload from a client passes a compiled TypeBox check first.
registerAjvFormats()

export interface FieldError { field: string, message: string }

interface RawError { instancePath: string, message?: string, keyword?: string, params?: Record<string, unknown> }

/** Turns a schema error into the field a person can fix: `/location/lat` → `location.lat`. */
export function describeError(e: RawError, prefix = ''): FieldError {
  const missing = e.keyword === 'required' ? (e.params?.requiredProperties as string[] | undefined)?.[0] : undefined
  const extra = e.keyword === 'additionalProperties' ? (e.params?.additionalProperties as string[] | string | undefined) : undefined
  // TypeBox reports an unknown key first as the `false` schema it meets at that key: the key is not allowed.
  const unknownKey = e.keyword === 'boolean' && e.message === 'schema is false'
  const path = e.instancePath.replace(/^\//, '').replaceAll('/', '.')
  const leaf = missing ?? (Array.isArray(extra) ? extra[0] : extra)
  const field = [prefix, path, leaf].filter(Boolean).join('.') || prefix || 'body'
  const message = missing ? `${field} is required` : extra || unknownKey ? `${field} is not allowed` : `${field} ${e.message ?? 'is invalid'}`
  return { field, message }
}

type Check = (value: unknown) => FieldError | null
/**
 * Compiled checkers by schema. Socket handlers are registered per connection: compiling there cost ≈ 1 ms a
 * socket, the largest cost the app added when a thousand walls came back after a restart (bench/reconnect.ts).
 */
const compiledChecks = new WeakMap<TSchema, Check>()

/** A compiled checker: returns null when valid, else the first error naming its field. Compiled once per schema. */
export function compileCheck<T extends TSchema>(schema: T): Check {
  let check = compiledChecks.get(schema)
  if (!check) {
    check = compile(schema)
    compiledChecks.set(schema, check)
  }
  return check
}

/**
 * Where a client's value holds a NUL character (U+0000), as a schema error's path (`/description`), or null. No field
 * of ours means one, SQLite would store it and PostgreSQL refuses it inside a JSON document: it is refused on both,
 * as bad input naming the field.
 */
export function nulPath(value: unknown): string | null {
  // Without recursion: a client may send nesting thousands deep (it is refused by its schema, after this look).
  interface At { value: unknown, key: string, up: At | null }
  const pathOf = (at: At) => {
    const keys: string[] = []
    for (let a: At | null = at; a?.up; a = a.up) keys.push(a.key)
    return keys.reverse().map(k => `/${k}`).join('')
  }
  const stack: At[] = [{ value, key: '', up: null }]
  while (stack.length > 0) {
    const at = stack.pop()!
    const v = at.value
    if (typeof v === 'string') {
      if (v.includes('\0'))
        return pathOf(at)
    }
    else if (v !== null && typeof v === 'object') {
      const entries = Array.isArray(v) ? [...v.entries()] : Object.entries(v)
      // Pushed last first: the first field holding one is the one named.
      for (let k = entries.length - 1; k >= 0; k--) stack.push({ value: entries[k]![1], key: String(entries[k]![0]), up: at })
    }
  }
  return null
}

/** The schema error of a NUL found at `path`. */
export const nulError = (path: string) => ({ instancePath: path, schemaPath: '#', keyword: 'nul', params: {}, message: 'must not contain a NUL character (U+0000)' })

function compile(schema: TSchema): Check {
  const compiled = Compile(schema)
  return (value) => {
    const nul = nulPath(value)
    if (nul !== null)
      return describeError(nulError(nul))
    if (compiled.Check(value))
      return null
    const first = [...compiled.Errors(value)][0] as RawError | undefined
    return first ? describeError(first) : { field: 'body', message: 'body is invalid' }
  }
}
