import type { Warning } from '../../shared/wartime/schema.ts'
import type { Api } from './api.ts'
import { julyRainstormCap } from '../../shared/cap/samples.ts'

// The drill's weather warning: the red rainstorm warning arrives as CAP 1.2 from the integration key and the
// server proposes a plan; when the drill is over the same sender cancels it, so the wall does not keep
// showing a drill's red warning for the next 12 hours.

export const INTEGRATION_KEY = 'demo-integration-key'
const XML = 'application/xml'

export async function postWarning(api: Api, now: Date): Promise<Warning> {
  return api.postText<Warning>('/api/cap', { bearer: INTEGRATION_KEY }, julyRainstormCap(now), XML)
}

/** A CAP Cancel of `w` (CAP 1.2 §3.2.1: msgType Cancel, <references> naming sender,identifier,sent). */
export function cancelCap(w: Warning, original: string, now: Date): string {
  const identifier = `${w.identifier}_cancel_${now.getTime()}`
  return original
    .replace(`<identifier>${w.identifier}</identifier>`, `<identifier>${identifier}</identifier>`)
    .replace(/<sent>[^<]*<\/sent>/, `<sent>${now.toISOString().slice(0, 19)}+00:00</sent>`)
    .replace('<msgType>Alert</msgType>', '<msgType>Cancel</msgType>')
    .replace('<scope>Public</scope>', `<scope>Public</scope>\n  <references>${w.sender},${w.identifier},${w.sent}</references>`)
}

export async function cancelWarning(api: Api, w: Warning, sentAt: Date, now: Date): Promise<void> {
  await api.postText<Warning>('/api/cap', { bearer: INTEGRATION_KEY }, cancelCap(w, julyRainstormCap(sentAt), now), XML)
}
