import zhCN from '../locales/sensors.zh-CN.ts'
import { mergeStrings } from '../modules/i18n.ts'
import { pinia } from '../modules/pinia.ts'
import { socket } from '../realtime/socket.ts'
import { useSensorsStore } from './store.ts'

let bound = false

/** The sensors on a screen: strings, the stations now, and the socket's live readings (bound once). */
export function bootSensors(): void {
  mergeStrings(zhCN)
  const sensors = useSensorsStore(pinia)
  if (!bound) {
    bound = true
    sensors.bind(socket)
  }
  void sensors.load().catch(err => console.warn('[sensors] not available', err))
}
