import { Buffer } from 'node:buffer'
import http from 'node:http'
import https from 'node:https'
import { publicOnly } from '../webhooks/send.ts'

// One POST from a channel (a push service, a messaging robot) with the answer's status and a little of its body:
// robots say "errcode 0" in a 200, push services say 404/410 for a subscription that is gone. Like the outcome
// webhooks, internal addresses are refused on the address actually connected to unless `allowPrivate`.

export type PostAnswer = { status: number, text: string } | { status: null, error: string }

export interface PostOptions { timeoutMs: number, allowPrivate: boolean }

const MAX_ANSWER = 8192

export function post(url: string, body: Buffer | string, headers: Record<string, string | number>, opts: PostOptions): Promise<PostAnswer> {
  const u = new URL(url)
  const signal = AbortSignal.timeout(opts.timeoutMs)
  return new Promise((resolve) => {
    const req = (u.protocol === 'https:' ? https : http).request(u, {
      method: 'POST',
      signal,
      lookup: opts.allowPrivate ? undefined : publicOnly,
      headers: { ...headers, 'content-length': Buffer.byteLength(body) },
    }, (res) => {
      const chunks: Buffer[] = []
      let size = 0
      res.on('data', (c: Buffer) => {
        if (size < MAX_ANSWER)
          chunks.push(c)
        size += c.length
      })
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8').slice(0, MAX_ANSWER) }))
      res.on('error', e => resolve({ status: null, error: e.message }))
    })
    req.on('error', (e: Error & { code?: string }) => {
      const timedOut = e.name === 'AbortError' && signal.reason instanceof DOMException && signal.reason.name === 'TimeoutError'
      resolve({ status: null, error: timedOut ? `no answer within ${opts.timeoutMs} ms` : `${e.code ?? e.name}: ${e.message}` })
    })
    req.end(body)
  })
}
