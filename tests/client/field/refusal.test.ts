import { describe, expect, it } from 'vitest'
import en from '../../../client/locales/phone.en.ts'
import zh from '../../../client/locales/phone.zh-CN.ts'
import { refusalOf } from '../../../client/screens/field/refusal.ts'

// A refused report is explained in the worker's language, naming the field the server named.

describe('refusalOf', () => {
  it('says a territory refusal in words, not the server\'s English', () => {
    expect(refusalOf(403, null)).toEqual({ key: 'phone.refusal.forbidden', params: {} })
  })

  it('names the field of a bad report, from the server\'s path', () => {
    expect(refusalOf(400, 'body.location.lon')).toEqual({ key: 'phone.refusal.invalidField', params: { field: 'location' } })
    expect(refusalOf(422, 'category')).toEqual({ key: 'phone.refusal.invalidField', params: { field: 'category' } })
    expect(refusalOf(400, 'body.somethingElse')).toEqual({ key: 'phone.refusal.invalid', params: {} })
  })

  it('leaves other answers to the server\'s words', () => {
    expect(refusalOf(409, null)).toBeNull()
    expect(refusalOf(null, null)).toBeNull()
    expect(refusalOf(413, 'file')).toEqual({ key: 'phone.refusal.tooLarge', params: {} })
  })

  it('has both languages for every key and field it can give', () => {
    for (const loc of [zh, en]) {
      expect(Object.keys(loc.phone.refusal).sort()).toEqual(['forbidden', 'invalid', 'invalidField', 'signIn', 'tooLarge'])
      expect(Object.keys(loc.phone.fields)).toContain('location')
    }
    expect(zh.phone.refusal.forbidden).toMatch(/辖区/)
  })
})
