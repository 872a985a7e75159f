import { describe, expect, it } from 'vitest'
import { localIso } from '../../../shared/kernel/time.ts'
import { addWorkingDays, calendarGaps, isWorkingDay, libraryKnowsYear } from '../../../shared/kernel/workdays.ts'
import { DEFAULT_CATALOG, stageDeadlineFor } from '../../../shared/organisation/catalog.ts'

const at = (local: string) => new Date(`${local}+08:00`)
const end = (n: number, since: string, override?: Parameters<typeof addWorkingDays>[2]) => localIso(addWorkingDays(at(since), n, override))

describe('the Chinese working calendar (2026, as published)', () => {
  it('knows weekends, holidays and make-up working days', () => {
    expect(isWorkingDay('2026-12-07')).toBe(true) // Monday
    expect(isWorkingDay('2026-12-06')).toBe(false) // Sunday
    expect(isWorkingDay('2026-10-01')).toBe(false) // 国庆节
    expect(isWorkingDay('2026-10-07')).toBe(false)
    expect(isWorkingDay('2026-10-10')).toBe(true) // Saturday, 调休
    expect(isWorkingDay('2026-02-17')).toBe(false) // 春节
  })

  it('ends n working days at the close of the nth working day after the start day', () => {
    expect(end(3, '2026-12-04T15:00:00')).toBe('2026-12-10T00:00:00+08:00') // Fri → Mon, Tue, Wed
    expect(end(1, '2026-12-07T23:59:00')).toBe('2026-12-09T00:00:00+08:00') // late Monday: Tuesday is day 1
    expect(end(0, '2026-12-07T09:00:00')).toBe('2026-12-08T00:00:00+08:00')
  })

  it('skips the National Day week and counts the 调休 Saturday', () => {
    // Wed 30 Sep → Thu 8 Oct, Fri 9 Oct, Sat 10 Oct (a working day).
    expect(end(3, '2026-09-30T10:00:00')).toBe('2026-10-11T00:00:00+08:00')
  })

  it('refuses a negative or fractional count', () => {
    expect(() => addWorkingDays(at('2026-12-07T09:00:00'), -1)).toThrow(RangeError)
    expect(() => addWorkingDays(at('2026-12-07T09:00:00'), 1.5)).toThrow(RangeError)
    expect(() => isWorkingDay('2026-13-01x')).toThrow(RangeError)
  })
})

describe('a year the library does not carry yet', () => {
  const year = [2027, 2028, 2029, 2030].find(y => !libraryKnowsYear(y))!

  it('falls back to Monday–Friday and is named as a gap', () => {
    expect(year).toBeDefined()
    expect(calendarGaps(2026, year)).toContain(year)
    expect(calendarGaps(2026, 2026)).toEqual([])
    // 1 January is a Friday in 2027, a Saturday in 2028: a weekday counts until the package says otherwise.
    const jan1 = `${year}-01-01`
    const weekday = new Date(`${jan1}T00:00:00Z`).getUTCDay()
    expect(isWorkingDay(jan1)).toBe(weekday !== 0 && weekday !== 6)
  })

  it('takes the package\'s own days (the yearly update path before the library ships them)', () => {
    const override = { holidays: [`${year}-01-01`, `${year}-01-04`], workdays: [`${year}-01-09`] }
    expect(isWorkingDay(`${year}-01-01`, override)).toBe(false)
    expect(isWorkingDay(`${year}-01-09`, override)).toBe(true)
    expect(calendarGaps(2026, year, override)).not.toContain(year)
  })
})

describe('stage deadlines written in working days', () => {
  it('a category with 办结 in 5 工作日 runs past the weekend; its other stages stay in minutes', () => {
    const property = DEFAULT_CATALOG.categories.find(c => c.code === 'property_dispute')!
    expect(property.workdays).toEqual({ handling: 5 })
    const friday = at('2026-12-04T15:00:00')
    expect(localIso(stageDeadlineFor(DEFAULT_CATALOG, 'property_dispute', 'handling', friday)!)).toBe('2026-12-12T00:00:00+08:00')
    expect(stageDeadlineFor(DEFAULT_CATALOG, 'property_dispute', 'reported', friday)).toBe(new Date(friday.getTime() + property.deadlines.reported! * 60_000).toISOString())
  })

  it('follows the catalog\'s calendar override', () => {
    const catalog = { ...DEFAULT_CATALOG, calendar: { holidays: ['2026-12-08'], workdays: [] } }
    expect(localIso(stageDeadlineFor(catalog, 'property_dispute', 'handling', at('2026-12-04T15:00:00'))!)).toBe('2026-12-15T00:00:00+08:00')
  })
})
