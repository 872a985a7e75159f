import messagesZhCN from '../locales/messages.zh-CN.ts'
import { mergeStrings } from '../modules/i18n.ts'

/** Adds the one-click-reach strings when a component of this folder loads. */
export const installMessageStrings = (): void => mergeStrings(messagesZhCN)

/** Hours and minutes in Asia/Shanghai, whatever the screen's own zone. */
export function shanghaiTime(iso: string): string {
  return new Date(iso).toLocaleTimeString('zh-CN', { timeZone: 'Asia/Shanghai', hour: '2-digit', minute: '2-digit', hour12: false })
}
