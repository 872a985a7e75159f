import type { Person } from '../../shared/territory/types.ts'
import type { NotifyConfig } from '../config.ts'
import type { SmsEvents } from './sms.ts'
import { createSmppTransport } from './smpp.ts'
import { createHttpSmsTransport } from './sms-http.ts'
import { createSmsChannel } from './sms.ts'

/** The SMS channel ONESCREEN_SMS names: smpp://… (or ssmpp://) or an http(s):// gateway; null when unset. */
export function smsFromConfig(config: NotifyConfig, o: { events: SmsEvents, person: (id: string) => Person | undefined, now: () => Date, log: (line: string) => void, sentOn: (personId: string, day: string) => number }) {
  if (!config.sms)
    return null
  const scheme = new URL(config.sms).protocol
  let transport
  if (scheme === 'smpp:' || scheme === 'ssmpp:') {
    transport = createSmppTransport({ url: config.sms, events: o.events, log: o.log })
  }
  else if (scheme === 'http:' || scheme === 'https:') {
    if (!config.smsKey)
      throw new Error('ONESCREEN_SMS names an HTTP gateway: set ONESCREEN_SMS_KEY, the key its requests are signed with')
    transport = createHttpSmsTransport({ url: config.sms, key: config.smsKey, sign: config.smsSign, now: o.now })
  }
  else {
    throw new Error(`ONESCREEN_SMS must be smpp://…, ssmpp://… or http(s)://…, not ${scheme}`)
  }
  return createSmsChannel({ transport, person: o.person, now: o.now, cap: config.smsCap, sign: config.smsSign, sentOn: o.sentOn })
}
