import type { CapInfo } from '../../../shared/cap/types.ts'
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { hazardOf, parseGbtIdentifier, warningColour } from '../../../shared/cap/gbt35965.ts'
import { parseCap } from '../../../shared/cap/parse.ts'

function infoOf(name: string): CapInfo {
  const r = parseCap(readFileSync(new URL(`../../fixtures/cap/${name}`, import.meta.url), 'utf8'))
  if (!r.ok)
    throw new Error(r.error)
  return r.alert.infos[0]!
}

function info(over: Partial<CapInfo>): CapInfo {
  return { language: 'zh-CN', category: ['Met'], event: '天气预警', urgency: 'Immediate', severity: 'Unknown', certainty: 'Likely', parameters: {}, eventCodes: {}, areas: [], ...over }
}

describe('parseGbtIdentifier', () => {
  it('splits a Jiangbei meteorological identifier and reads its time as Beijing time', () => {
    expect(parseGbtIdentifier('50010541600000_20240710053000')).toEqual({
      issuerCode: '50010541600000',
      divisionCode: '500105',
      provinceCode: '500000',
      departmentCode: '416',
      unitCode: '000',
      suffix: '00',
      issuedAt: '2024-07-09T21:30:00.000Z',
      sequence: null,
    })
  })

  it('reads a trailing sequence and tolerates extra digits after the seconds', () => {
    expect(parseGbtIdentifier('50000041600000_20240710053000_3')).toMatchObject({ divisionCode: '500000', sequence: 3 })
    expect(parseGbtIdentifier('33060441600000_201611041522000000000_330600-AMP')).toMatchObject({ divisionCode: '330604', issuedAt: '2016-11-04T07:22:00.000Z', sequence: null })
  })

  it('returns null for other identifiers and impossible times', () => {
    expect(parseGbtIdentifier('KSTO1055887203')).toBeNull()
    expect(parseGbtIdentifier('WRA_ReservoirWarn_201405142010')).toBeNull()
    expect(parseGbtIdentifier('5001054160000_20240710053000')).toBeNull()
    expect(parseGbtIdentifier('50010541600000_20240230053000')).toBeNull()
    expect(parseGbtIdentifier('50010541600000_20240710253000')).toBeNull()
  })
})

describe('warningColour', () => {
  it('reads red from the Chinese alert\'s colour parameter (traditional characters)', () => {
    // Its CAP severity is Moderate (yellow): the parameter must win.
    expect(warningColour(infoOf('taiwan-wra-reservoir-zh.cap'))).toBe('red')
  })

  it('takes a colour parameter over a level parameter over the text over severity', () => {
    const all = info({ parameters: { severity_level: 'IV级', alert_color: '橙色' }, event: '暴雨黄色预警', severity: 'Extreme' })
    expect(warningColour(all)).toBe('orange')
    expect(warningColour({ ...all, parameters: { severity_level: 'IV级' } })).toBe('blue')
    expect(warningColour({ ...all, parameters: {} })).toBe('yellow')
    expect(warningColour({ ...all, parameters: {}, event: '暴雨预警' })).toBe('red')
  })

  it('reads levels as I–IV, Ⅰ–Ⅳ, 一级–四级 and 1–4', () => {
    const level = (v: string) => warningColour(info({ parameters: { 预警级别: v } }))
    expect([level('Ⅰ级'), level('II'), level('三级'), level('4'), level('一級警戒')]).toEqual(['red', 'orange', 'yellow', 'blue', 'red'])
  })

  it('reads the headline when the event names no colour, and falls back on severity', () => {
    expect(warningColour(infoOf('oasis-example1-homeland.xml'))).toBe('orange') // "Sets Code ORANGE"
    expect(warningColour(infoOf('noaa-hurricane-multiple-polygons.xml'))).toBe('red') // Extreme
    expect(warningColour(infoOf('oasis-example3-earthquake-update.xml'))).toBe('blue') // Minor
    expect(warningColour(info({ severity: 'Moderate' }))).toBe('yellow')
  })
})

describe('hazardOf', () => {
  it('maps the Chinese reservoir discharge alert to flood', () => {
    expect(hazardOf(infoOf('taiwan-wra-reservoir-zh.cap'))).toBe('flood')
  })

  it.each([
    ['暴雨红色预警', 'rainstorm'],
    ['大暴雨', 'rainstorm'],
    ['Rainstorm Warning', 'rainstorm'],
    ['山洪灾害蓝色预警', 'flood'],
    ['Flash Flood Warning', 'flood'],
    ['地质灾害气象风险预警', 'landslide'],
    ['山体滑坡', 'landslide'],
    ['泥石流', 'landslide'],
    ['森林火险橙色预警', 'fire'],
    ['燃气泄漏', 'gas'],
    ['台风蓝色预警', 'wind'],
    ['大风黄色预警', 'wind'],
    ['Hurricane Warning', 'wind'],
    ['Earthquake', 'earthquake'],
    ['Child Abduction', 'other'],
  ])('%s → %s', (event, hazard) => {
    expect(hazardOf(info({ event }))).toBe(hazard)
  })

  it('falls back on the headline, then on GB/T event codes', () => {
    expect(hazardOf(info({ event: '预警信号', headline: '发布暴雨橙色预警信号' }))).toBe('rainstorm')
    expect(hazardOf(info({ event: '预警信号', eventCodes: { 'GB/T 35965.1': '11B03' } }))).toBe('rainstorm')
    expect(hazardOf(info({ event: '预警信号', eventCodes: { 'GB/T 35965.1': '11D01' } }))).toBe('landslide')
    expect(hazardOf(info({ event: '预警信号', eventCodes: { SAME: 'CAE' } }))).toBe('other')
  })
})
