import type { LookupFunction } from 'node:net'
import { Buffer } from 'node:buffer'
import { lookup } from 'node:dns'
import http from 'node:http'
import https from 'node:https'
import { BlockList, isIP } from 'node:net'

// One POST to a receiver. SSRF: a callback URL is chosen by an integration or an admin, and the server then calls
// it from inside the network. Unless private addresses are allowed (ONESCREEN_WEBHOOK_ALLOW_PRIVATE), a host that is
// or resolves to a loopback, private, link-local (cloud metadata) or otherwise internal address is refused, checked
// on the address actually connected to (DNS rebinding gets no second answer). Redirects are never followed.

const INTERNAL = new BlockList()
for (const [net, bits] of [['0.0.0.0', 8], ['10.0.0.0', 8], ['100.64.0.0', 10], ['127.0.0.0', 8], ['169.254.0.0', 16], ['172.16.0.0', 12], ['192.0.0.0', 24], ['192.168.0.0', 16], ['198.18.0.0', 15], ['224.0.0.0', 4], ['240.0.0.0', 4]] as const)
  INTERNAL.addSubnet(net, bits, 'ipv4')
for (const [net, bits] of [['::', 127], ['fc00::', 7], ['fe80::', 10], ['ff00::', 8], ['64:ff9b::', 96]] as const)
  INTERNAL.addSubnet(net, bits, 'ipv6')

/** Whether an address is not on the public internet (an IPv4-mapped IPv6 address is judged as IPv4). */
export function isInternalAddress(address: string): boolean {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address)?.[1]
  if (mapped)
    return INTERNAL.check(mapped, 'ipv4')
  const v = isIP(address)
  return v === 0 || INTERNAL.check(address, v === 4 ? 'ipv4' : 'ipv6')
}

/** Why a callback URL is refused, or null. Checks what can be checked without a DNS query. */
export function urlProblem(raw: string, allowPrivate: boolean): string | null {
  let u: URL
  try {
    u = new URL(raw)
  }
  catch {
    return 'not a URL'
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:')
    return 'only http and https callbacks are allowed'
  if (u.username || u.password)
    return 'put no credentials in the URL: the signature authenticates the sender'
  const host = u.hostname.replace(/^\[|\]$/g, '')
  if (!allowPrivate && (host === 'localhost' || host.endsWith('.localhost') || (isIP(host) !== 0 && isInternalAddress(host))))
    return `${host} is an internal address (set ONESCREEN_WEBHOOK_ALLOW_PRIVATE=1 to allow it)`
  return null
}

/** A DNS lookup that refuses hosts resolving to internal addresses (the address actually connected to). */
export const publicOnly: LookupFunction = (hostname, options, callback) => {
  lookup(hostname, options, (err, address, family) => {
    if (err)
      return callback(err, address, family)
    const all = Array.isArray(address) ? address : [{ address, family: family ?? 4 }]
    const bad = all.find(a => isInternalAddress(a.address))
    if (bad)
      return callback(Object.assign(new Error(`${hostname} resolves to the internal address ${bad.address}`), { code: 'EINTERNAL' }), address, family)
    callback(null, address, family)
  })
}

export type SendOutcome = { ok: true, status: number } | { ok: false, status: number | null, error: string }

export interface SendOptions { timeoutMs: number, allowPrivate: boolean, signal?: AbortSignal }

/** POSTs the JSON body; 2xx is delivered, anything else (a status, a refusal, a timeout) is a failure to retry. */
export function postJson(url: string, body: string, headers: Record<string, string>, opts: SendOptions): Promise<SendOutcome> {
  const problem = urlProblem(url, opts.allowPrivate)
  if (problem)
    return Promise.resolve({ ok: false, status: null, error: problem })
  const u = new URL(url)
  const signal = opts.signal ? AbortSignal.any([AbortSignal.timeout(opts.timeoutMs), opts.signal]) : AbortSignal.timeout(opts.timeoutMs)
  return new Promise((resolve) => {
    const req = (u.protocol === 'https:' ? https : http).request(u, {
      method: 'POST',
      signal,
      lookup: opts.allowPrivate ? undefined : publicOnly,
      headers: { ...headers, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), 'user-agent': 'OneScreen-Webhooks/1' },
    }, (res) => {
      // The status is the answer; the body is read and dropped so the connection can be reused.
      res.resume()
      const status = res.statusCode ?? 0
      resolve(status >= 200 && status < 300 ? { ok: true, status } : { ok: false, status, error: `HTTP ${status}` })
    })
    req.on('error', (e: Error & { code?: string }) => {
      const timedOut = e.name === 'AbortError' && signal.reason instanceof DOMException && signal.reason.name === 'TimeoutError'
      resolve({ ok: false, status: null, error: timedOut ? `no answer within ${opts.timeoutMs} ms` : `${e.code ?? e.name}: ${e.message}` })
    })
    req.end(body)
  })
}
