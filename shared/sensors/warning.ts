import type { Grid } from '../territory/types.ts'
import type { Colour, Plan, Warning } from '../wartime/schema.ts'
import type { SensorReading, SensorStation } from './schema.ts'
import { localIso } from '../kernel/time.ts'
import { suggestPlans } from '../wartime/plans.ts'
import { formatValue, thresholdOf, UNITS } from './levels.ts'

// A station's crossing as the wall's warning: the same entity a CAP alert becomes, so the wall's proposal
// ("declare wartime with plan X") shows it and a person decides. One warning per episode: it is made when the
// station first reaches a level, follows it up and down, and expires when the station falls back under every level.

/** The sender of a station's warnings: `sensor:<station id>`. */
export const sensorSender = (stationId: string): string => `sensor:${stationId}`

/** The warning id of an episode that began at `startedAt`: `sender,identifier`, like a CAP warning's key. */
export function sensorWarningId(stationId: string, startedAt: string): string {
  return `${sensorSender(stationId)},${stationId}-${startedAt.replace(/\D/g, '').slice(0, 14)}`
}

const LEVEL_ZH: Record<Colour, string> = { blue: '蓝色', yellow: '黄色', orange: '橙色', red: '红色' }
const KIND_ZH = { water_level: '水位', rainfall_1h: '小时雨量', rainfall_24h: '24小时雨量', ponding: '积水深度' } as const

export interface SensorWarningInput {
  station: SensorStation
  level: Colour
  reading: SensorReading
  /** The episode's warning so far (null: this reading starts it). */
  current: Warning | null
  plans: readonly Plan[]
  grids: readonly Pick<Grid, 'id' | 'name'>[]
  now: Date
}

/** The warning after a level change: a new one, or the episode's next version. */
export function sensorWarning(i: SensorWarningInput): Warning {
  const { station, level, reading } = i
  const t = thresholdOf(station, level)!
  const unit = UNITS[station.kind]
  const value = `${formatValue(station.kind, reading.value)} ${unit}`
  const line = `${t.label ?? `${LEVEL_ZH[level]}阈值`}（${formatValue(station.kind, t.value)} ${unit}）`
  const over = reading.value - t.value
  // Short and without the reading (it would be stale by the next one): the wall's header shows it in one line, the
  // sensor panel shows the reading live, the description says the reading at the crossing.
  const headline = t.label ? `${station.name}超${t.label}` : `${station.name}${KIND_ZH[station.kind]}超${LEVEL_ZH[level]}阈值`
  const names = new Map(i.grids.map(g => [g.id, g.name]))
  const areaDesc = station.areaDesc ?? station.gridIds.map(id => names.get(id) ?? id).join('、')
  const proposed = suggestPlans([...i.plans], { hazard: station.hazard, colour: level })[0]
  const startedAt = i.current?.sent ?? reading.at
  return {
    id: i.current?.id ?? sensorWarningId(station.id, reading.at),
    version: (i.current?.version ?? 0) + 1,
    sender: sensorSender(station.id),
    identifier: i.current?.identifier ?? `${station.id}-${startedAt.replace(/\D/g, '').slice(0, 14)}`,
    sent: startedAt,
    msgType: i.current ? 'Update' : 'Alert',
    status: 'Actual',
    event: `${station.name}${KIND_ZH[station.kind]}${LEVEL_ZH[level]}预警`,
    headline,
    description: `${station.name}于 ${localIso(reading.at).slice(0, 16).replace('T', ' ')} 测得${KIND_ZH[station.kind]} ${value}${station.datum ? `（${station.datum}）` : ''}，${over > 0 ? `超${line} ${formatValue(station.kind, over)} ${unit}` : `达${line}`}。传感器自动生成，请值班人员核实后决定是否启动预案。`,
    colour: level,
    hazard: station.hazard,
    areaDesc,
    affectedGridIds: [...station.gridIds],
    state: 'active',
    expires: null,
    receivedAt: i.now.toISOString(),
    proposal: proposed ? { planId: proposed.id, planName: proposed.name } : null,
    exercise: false,
  }
}

/** The episode's warning once the station is back under every level (after the hysteresis): expired, no proposal. */
export function sensorWarningEnded(current: Warning, reading: SensorReading, station: SensorStation, now: Date): Warning {
  return {
    ...current,
    version: current.version + 1,
    msgType: 'Cancel',
    state: 'expired',
    headline: `${station.name}${KIND_ZH[station.kind]}已回落至 ${formatValue(station.kind, reading.value)} ${UNITS[station.kind]}`,
    receivedAt: now.toISOString(),
    proposal: null,
  }
}
