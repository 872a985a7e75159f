import type { PackageProblem } from '../../shared/setup/package.ts'
import type { Checker } from '../setup/codec/json-files.ts'
import { Compile } from 'typebox/compile'
import { thresholdProblems } from '../../shared/sensors/levels.ts'
import { SensorStation } from '../../shared/sensors/schema.ts'
import { problemAt } from '../setup/codec/cells.ts'
import { jsonFile, parse, shapeError } from '../setup/codec/json-files.ts'

// sensors.json, optional in a subdistrict package: the stations whose readings may propose a plan (docs/sensors.md),
// an array of stations. Each is checked on import: its shape, a unique id, thresholds rising with the colour, grids
// the package has. A bad station is named by its place in the array (row, 1-based) and its id.

export const SENSORS_FILE = 'sensors.json'

const StationT = Compile(SensorStation)

/** The stations of sensors.json (undefined when the package has none); problems added to `problems`. */
export function readSensors(data: Buffer | undefined, gridIds: ReadonlySet<string>, problems: PackageProblem[]): SensorStation[] | undefined {
  const file = SENSORS_FILE
  const json = parse(file, data, problems)
  if (json === undefined)
    return undefined
  if (!Array.isArray(json)) {
    problems.push(problemAt({ file }, 'bad_value', 'sensors.json 须为监测站数组', 'sensors.json must be an array of stations'))
    return undefined
  }
  const seen = new Set<string>()
  const out: SensorStation[] = []
  json.forEach((raw: unknown, i) => {
    const row = i + 1
    const id = typeof (raw as SensorStation)?.id === 'string' ? (raw as SensorStation).id : ''
    const bad = shapeError(StationT as unknown as Checker, raw)
    const say = (zh: string, en: string, column?: string) => problems.push(problemAt({ file }, 'bad_value', `监测站 ${id || row}：${zh}`, `station ${id || row}: ${en}`, { row, id, ...(column ? { column } : {}) }))
    if (bad) {
      say(`格式不正确：${bad.path} ${bad.message}`, `does not match the format: ${bad.path} ${bad.message}`, bad.path)
      return
    }
    const s = raw as SensorStation
    if (seen.has(s.id))
      problems.push(problemAt({ file }, 'duplicate_code', `监测站编号重复：${s.id}`, `duplicate station id ${s.id}`, { row, id: s.id, column: 'id' }))
    seen.add(s.id)
    for (const p of thresholdProblems(s.thresholds))
      say(`阈值须随等级升高且每级一个：${p}`, `thresholds must rise with the level, one per level: ${p}`, 'thresholds')
    for (const g of s.gridIds.filter(g => !gridIds.has(g)))
      problems.push(problemAt({ file }, 'unknown_reference', `监测站 ${s.id}：未知的网格 ${g}`, `station ${s.id}: unknown grid ${g}`, { row, id: s.id, column: 'gridIds' }))
    out.push(s)
  })
  return out
}

/** sensors.json for an export: present only when the package has stations. */
export function sensorsFile(stations: SensorStation[] | undefined): { name: string, data: Buffer }[] {
  return stations?.length ? [{ name: SENSORS_FILE, data: jsonFile(stations) }] : []
}
