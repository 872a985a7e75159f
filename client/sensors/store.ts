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

  async function load(): Promise<void> {
    stations.value = await getJson<SensorState[]>('/api/sensors')
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
