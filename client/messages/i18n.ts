import messagesEn from '../locales/messages.en.ts'
import messagesZhCN from '../locales/messages.zh-CN.ts'
import { i18n } from '../modules/i18n.ts'

// The one-click-reach strings join the app's i18n when a component of this folder loads (as the phone's do, see
// client/screens/field/messages.ts), so screens that never show a message never carry them.

let merged = false

export function installMessageStrings(): void {
  if (merged)
    return
  merged = true
  i18n.global.mergeLocaleMessage('zh-CN', messagesZhCN)
  i18n.global.mergeLocaleMessage('en', messagesEn)
}

/** Hours and minutes in Asia/Shanghai, whatever the screen's own zone. */
export function shanghaiTime(iso: string): string {
  return new Date(iso).toLocaleTimeString('zh-CN', { timeZone: 'Asia/Shanghai', hour: '2-digit', minute: '2-digit', hour12: false })
}
