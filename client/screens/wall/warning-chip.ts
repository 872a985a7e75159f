import type { SensorState } from '../../../shared/sensors/schema.ts'
import type { Warning } from '../../../shared/wartime/schema.ts'

/** What the header's warning chip says: one line, or a source over its level. */
export interface WarningChip { source: string | null, text: string }

type Translate = (key: string) => string

/**
 * The header's warning in the wall's language. Chinese shows the warning's own headline (the sender's wording); the
 * headline is Chinese whoever sent it, so English builds the chip from the structured warning instead: the sensor
 * station's English name (sender `sensor:<id>`) or the hazard, over the level's colour.
 */
export function warningChip(w: Warning, zh: boolean, stations: readonly SensorState[], t: Translate): WarningChip {
  if (zh)
    return { source: null, text: w.headline }
  const stationId = w.sender.startsWith('sensor:') ? w.sender.slice('sensor:'.length) : null
  const station = stationId === null ? undefined : stations.find(s => s.station.id === stationId)?.station
  const source = station?.nameEn ?? t(`warning.hazard.${w.hazard}`)
  return { source, text: t(`warning.level.${w.colour}`) }
}
