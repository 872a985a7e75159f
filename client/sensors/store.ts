import type { SensorState } from '../../shared/sensors/schema.ts'
import type { AppSocket } from '../realtime/socket.ts'
import { defineStore } from 'pinia'
import { shallowRef } from 'vue'
import { getJson } from '../ui/http.ts'

/** The package's sensor stations with their latest reading and level: loaded, then kept live by `sensor:readings`. */
export const useSensorsStore = defineStore('sensors', () => {
  const stations = shallowRef<SensorState[]>([])
  /** The reading before the latest, per station: the wall's rising/falling arrow. */
  const previous = shallowRef(new Map<string, number>())

  /**
   * The stations now (the package's list, which a new package changes). A station whose reading arrived live while
   * the answer was on its way keeps that newer reading and level.
   */
  async function load(): Promise<void> {
    const fresh = await getJson<SensorState[]>('/api/sensors')
    const held = new Map(stations.value.map(s => [s.station.id, s]))
    stations.value = fresh.map((s) => {
      const mine = held.get(s.station.id)
      return mine?.latest && (!s.latest || mine.latest.at > s.latest.at) ? { ...s, latest: mine.latest, level: mine.level, warningId: mine.warningId } : s
    })
  }

  function receive(states: readonly SensorState[]): void {
    const byId = new Map(states.map(s => [s.station.id, s]))
    const before = new Map(previous.value)
    stations.value = stations.value.map((s) => {
      const next = byId.get(s.station.id)
      if (!next || !next.latest || (s.latest && next.latest.at <= s.latest.at))
        return s
      if (s.latest)
        before.set(s.station.id, s.latest.value)
      return next
    })
    previous.value = before
  }

  function bind(socket: AppSocket): void {
    socket.on('sensor:readings', receive)
    // A reconnect may have missed readings: the latest are fetched again.
    socket.on('connect', () => void load().catch(err => console.warn('[sensors] reload failed', err)))
  }

  return { stations, previous, load, receive, bind }
})
