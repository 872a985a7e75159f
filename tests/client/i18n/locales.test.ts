import { readdirSync } from 'node:fs'
import { baseCompile } from '@intlify/message-compiler'
import { describe, expect, it } from 'vitest'
import admin from '../../../client/locales/admin.zh-CN.ts'
import notify from '../../../client/locales/notify.zh-CN.ts'
import { ROLE_NAMES } from '../../../shared/setup/roles.ts'

const dir = new URL('../../../client/locales/', import.meta.url)
// english.ts gathers the *.en.ts files; it is not one.
const files = readdirSync(dir).filter(f => f.endsWith('.ts') && f !== 'english.ts')

/** Every string of a locale file with its dotted key; anything else found in the tree is reported as a problem. */
function strings(tree: unknown, path = ''): [string, unknown][] {
  if (typeof tree === 'string')
    return [[path, tree]]
  if (tree && typeof tree === 'object')
    return Object.entries(tree).flatMap(([k, v]) => strings(v, path ? `${path}.${k}` : k))
  return [[path, tree]]
}

// The build precompiles these files and ships vue-i18n without its message compiler (vite.config.ts): a message
// that does not compile, or a value that is not a literal string, would fail the build or show nothing.
describe('locale files', () => {
  it.each(files)('%s: every message is a string that compiles', async (file) => {
    const messages = (await import(new URL(file, dir).href) as { default: unknown }).default
    const entries = strings(messages)
    expect(entries.length).toBeGreaterThan(0)
    const bad = entries.flatMap(([key, value]) => {
      if (typeof value !== 'string')
        return [`${key}: ${typeof value}`]
      const errors: string[] = []
      baseCompile(value, { onError: e => errors.push(e.message) })
      return errors.map(e => `${key}: ${e}`)
    })
    expect(bad).toEqual([])
  })

  it('writes out the role names a package\'s 人员 sheet uses', () => {
    expect(admin.admin.roles).toEqual(ROLE_NAMES)
  })

  it('escapes a literal @, which vue-i18n reads as a linked message', () => {
    expect(notify.notify.robots.hint).toContain('按手机号 {\'@\'} 人')
  })
})
