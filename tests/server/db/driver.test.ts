import { createRequire } from 'node:module'
import { describe, expect, it } from 'vitest'
import Database, { driverPackage } from '../../../server/db/sqlite/driver.ts'

const require = createRequire(import.meta.url)

describe('the SQLite driver for this Node', () => {
  it('is 12 on Node 20, 13 from Node 22 on', () => {
    expect(driverPackage('20.20.2')).toBe('better-sqlite3')
    expect(driverPackage('22.23.5')).toBe('better-sqlite3-13')
    expect(driverPackage('24.22.3')).toBe('better-sqlite3-13')
  })

  it('loads the line this Node needs and survives collected statements', () => {
    const wanted = driverPackage()
    const version = (require(`${wanted}/package.json`) as { version: string }).version
    expect(Number(version.split('.')[0])).toBe(wanted === 'better-sqlite3' ? 12 : 13)
    const db = new Database(':memory:')
    // 12 on Node 24 aborted the process when V8 collected a prepared statement: make many and let them go.
    for (let i = 0; i < 2_000; i++)
      expect(db.prepare(`select ${i} as n`).get()).toEqual({ n: i })
    ;(globalThis as { gc?: () => void }).gc?.()
    db.close()
  })
})
