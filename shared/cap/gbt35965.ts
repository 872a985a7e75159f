// GB/T 35965.1-2018 (应急信息交互协议 第1部分：预警信息), China's CAP 1.2 profile: identifiers, colour levels
// (蓝/黄/橙/红, IV–I) and the hazards our plans use.
import type { Colour, Hazard } from '../wartime/schema.ts'
import type { CapInfo } from './types.ts'
import { fromLocal } from '../kernel/time.ts'

export interface GbtIdentifier {
  /** The 14-digit issuing-unit code: division (6) + department (3) + unit (3) + suffix (2). */
  issuerCode: string
  /** GB/T 2260 administrative division, e.g. 500105 Jiangbei, 500000 Chongqing. */
  divisionCode: string
  /** Province-level division (first two digits + 0000). */
  provinceCode: string
  /** Department part; 416 is the meteorological service and 332 water resources in the national feed's identifiers. */
  departmentCode: string
  unitCode: string
  suffix: string
  /** The issue time, written in Beijing time (UTC+8), as ISO UTC. */
  issuedAt: string
  /** The trailing `_N` sequence, when present. */
  sequence: number | null
}

// Seen in practice: "50010541600000_20240710053000", sometimes "_1" after it or extra digits after the seconds.
const GBT_ID = /^(\d{6})(\d{3})(\d{3})(\d{2})_(\d{14})\d*(?:_(\d+))?(?:_.*)?$/

/** Parse a GB/T 35965.1 identifier leniently; null when it does not have that shape or its time is impossible. */
export function parseGbtIdentifier(id: string): GbtIdentifier | null {
  const m = GBT_ID.exec(id.trim())
  if (!m)
    return null
  const [, division, department, unit, suffix, stamp, seq] = m as unknown as [string, string, string, string, string, string, string | undefined]
  const [y, mo, d, h, mi, s] = [stamp.slice(0, 4), stamp.slice(4, 6), stamp.slice(6, 8), stamp.slice(8, 10), stamp.slice(10, 12), stamp.slice(12, 14)].map(Number) as [number, number, number, number, number, number]
  const beijing = Date.UTC(y, mo - 1, d, h, mi, s)
  const check = new Date(beijing)
  if (check.getUTCMonth() !== mo - 1 || check.getUTCDate() !== d || check.getUTCHours() !== h || check.getUTCMinutes() !== mi || check.getUTCSeconds() !== s)
    return null
  return {
    issuerCode: `${division}${department}${unit}${suffix}`,
    divisionCode: division,
    provinceCode: `${division.slice(0, 2)}0000`,
    departmentCode: department,
    unitCode: unit,
    suffix,
    issuedAt: new Date(fromLocal(y, mo - 1, d, h, mi, s)).toISOString(),
    sequence: seq === undefined ? null : Number(seq),
  }
}

const COLOUR_WORDS: [Colour, RegExp][] = [
  ['red', /红色|紅色|\bred\b/i],
  ['orange', /橙色|\borange\b/i],
  ['yellow', /黄色|黃色|\byellow\b/i],
  ['blue', /蓝色|藍色|\bblue\b/i],
]
const LEVEL_COLOURS: Colour[] = ['red', 'orange', 'yellow', 'blue']

function colourWord(text: string): Colour | null {
  return COLOUR_WORDS.find(([, re]) => re.test(text))?.[0] ?? null
}

const LEVEL_INDEX: Record<string, number> = {
  I: 0,
  Ⅰ: 0,
  一: 0,
  1: 0,
  II: 1,
  Ⅱ: 1,
  二: 1,
  2: 1,
  III: 2,
  Ⅲ: 2,
  三: 2,
  3: 2,
  IV: 3,
  Ⅳ: 3,
  四: 3,
  4: 3,
}

/** Response levels: I/Ⅰ/一级/1 is the highest (red) … IV/Ⅳ/四级/4 the lowest (blue). */
function levelWord(text: string): Colour | null {
  const m = /(?:^|[^A-Z])(IV|III|II|[IⅠⅡⅢⅣ一二三四1-4])(?:[^A-Z\d]|$)/i.exec(text.trim())
  const index = m ? LEVEL_INDEX[m[1]!.toUpperCase()] : undefined
  return index === undefined ? null : LEVEL_COLOURS[index]!
}

const COLOUR_PARAM = /colou?r|颜色|顏色/i
const LEVEL_PARAM = /level|级别|級別|等级|等級/i
const SEVERITY_COLOUR: Record<CapInfo['severity'], Colour> = { Extreme: 'red', Severe: 'orange', Moderate: 'yellow', Minor: 'blue', Unknown: 'blue' }

/**
 * The warning colour. Precedence, most explicit first:
 * 1. a parameter named for colour (alert_color, colour, 预警颜色 …) whose value names one (红色, Red …);
 * 2. a parameter named for level (severity_level, 预警级别 …): a colour word, or I–IV / 一级–四级 / 1–4;
 * 3. the event, then the headline (暴雨红色预警, "Code ORANGE");
 * 4. CAP severity: Extreme → red, Severe → orange, Moderate → yellow, Minor or Unknown → blue.
 */
export function warningColour(info: Pick<CapInfo, 'parameters' | 'event' | 'headline' | 'severity'>): Colour {
  const params = Object.entries(info.parameters)
  for (const [name, value] of params) {
    if (COLOUR_PARAM.test(name)) {
      const c = colourWord(value)
      if (c)
        return c
    }
  }
  for (const [name, value] of params) {
    if (LEVEL_PARAM.test(name)) {
      const c = colourWord(value) ?? levelWord(value)
      if (c)
        return c
    }
  }
  return colourWord(info.event) ?? colourWord(info.headline ?? '') ?? SEVERITY_COLOUR[info.severity]
}

// Order matters: a landslide warning often says 降雨 and a flood one 暴雨, so the narrower hazards come first.
const HAZARD_WORDS: [Hazard, RegExp][] = [
  ['landslide', /地质灾害|地質災害|滑坡|泥石流|崩塌|landslide|mudslide|debris flow/i],
  ['flood', /洪|内涝|內澇|水库|水庫|flood|reservoir|dam break/i],
  ['rainstorm', /暴雨|降雨|强降水|強降水|rain|thunderstorm/i],
  ['wind', /台风|颱風|大风|大風|龙卷|龍捲|typhoon|hurricane|tropical storm|tornado|\bwind/i],
  ['earthquake', /地震|earthquake|\bEQ\b/i],
  ['fire', /火灾|火災|火险|火險|森林火|wildfire|\bfire\b/i],
  ['gas', /燃气|燃氣|天然气|天然氣|煤气|煤氣|瓦斯|\bgas\b/i],
]

// GB/T 35965.1 eventCode values (event classes of GB/T 35561): 11A water and drought, 11B meteorological
// (11B01 typhoon, 11B03 rainstorm, 11B06 strong wind), 11C earthquake, 11D geological, 11G forest and grassland fire.
const HAZARD_CODES: [Hazard, RegExp][] = [
  ['rainstorm', /^11B03/],
  ['wind', /^11B0[16]/],
  ['flood', /^11A/],
  ['earthquake', /^11C/],
  ['landslide', /^11D/],
  ['fire', /^11G/],
]

/** The hazard a plan answers: from the event text, then the headline, then GB/T event codes; else 'other'. */
export function hazardOf(info: Pick<CapInfo, 'event' | 'headline' | 'eventCodes'>): Hazard {
  for (const text of [info.event, info.headline ?? '']) {
    const hit = HAZARD_WORDS.find(([, re]) => re.test(text))
    if (hit)
      return hit[0]
  }
  for (const code of Object.values(info.eventCodes)) {
    const hit = HAZARD_CODES.find(([, re]) => re.test(code.trim()))
    if (hit)
      return hit[0]
  }
  return 'other'
}
