import { Type } from 'typebox'
import { describe, expect, it } from 'vitest'
import { compileCheck } from '../../../server/http/validation.ts'

describe('compileCheck', () => {
  it('compiles a schema once and answers with the field of the first error', () => {
    const schema = Type.Object({ qty: Type.Integer({ minimum: 1 }) }, { additionalProperties: false })
    const check = compileCheck(schema)
    expect(compileCheck(schema)).toBe(check)
    expect(check({ qty: 2 })).toBeNull()
    expect(check({ qty: 0 })?.field).toBe('qty')
    // An equal schema built afresh is another key: it compiles its own check, which answers the same.
    const again = compileCheck(Type.Object({ qty: Type.Integer({ minimum: 1 }) }, { additionalProperties: false }))
    expect(again).not.toBe(check)
    expect(again({ qty: 0 })?.field).toBe('qty')
  })
})
