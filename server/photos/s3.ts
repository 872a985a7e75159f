import type { PhotoBlobs, PhotoStore, PhotoVariant } from './service.ts'
import { createHash } from 'node:crypto'
import { AwsClient } from 'aws4fetch'
import { StoreUnavailableError, withProblems } from '../db/errors.ts'
import { createPhotoStoreOn, PHOTO_CONTENT_TYPE } from './service.ts'

// Photos in an S3-compatible bucket (MinIO, Ceph RGW, the S3 endpoints of Alibaba OSS and Tencent COS), shared by
// every node whatever the database. Path-style URLs (`<endpoint>/<bucket>/<key>`): every such service takes them,
// while virtual-host style needs DNS for each bucket, which an intranet MinIO seldom has.

export interface S3Options {
  /** The endpoint and the bucket, e.g. `http://minio:9000/onescreen-photos`. */
  url: string
  accessKeyId: string
  secretAccessKey: string
  region: string
  /** Keys start with this (the tenant), so several subdistricts can share one bucket. */
  prefix: string
  /** One request's whole budget, answer and body included. */
  timeoutMs?: number
}

/** One request to the bucket failed: which operation, which object, what came back; never the key's secret. */
export class S3Error extends Error {
  constructor(readonly operation: string, readonly object: string, readonly status: number | null, detail: string, options?: { cause?: unknown }) {
    super(`S3 ${operation} ${object} ${status === null ? `failed: ${detail}` : `answered ${status}${detail ? ` ${detail}` : ''}`}`, options)
  }
}

/** An S3 failure is the photo storage being unavailable: answered 503 with what to check, like a full disk. */
export function s3ProblemOf(e: unknown): StoreUnavailableError | null {
  if (e instanceof StoreUnavailableError)
    return e
  return e instanceof S3Error ? new StoreUnavailableError('object_storage', e.message, { cause: e }) : null
}

const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex')

/** Why a request got no answer: the socket's code (ECONNREFUSED, ECONNRESET) or the timeout. */
function reasonOf(e: unknown, timeoutMs: number): string {
  const err = e as { name?: string, message?: string, cause?: { code?: string, message?: string } }
  if (err.name === 'TimeoutError')
    return `no answer within ${timeoutMs / 1000} s`
  return err.cause?.code ?? err.cause?.message ?? err.message ?? String(e)
}

/** The S3 error code from an error body (`<Code>NoSuchBucket</Code>`), which says more than the status. */
async function codeOf(res: Response): Promise<string> {
  const text = await res.text().catch(() => '')
  return /<Code>([^<]{1,64})<\/Code>/.exec(text)?.[1] ?? ''
}

/**
 * The bytes in a bucket, `<prefix>/<first two hex digits>/<id>.jpg` and `<id>.thumb.jpg` (the disk's layout). Every
 * failure surfaces as a StoreUnavailableError naming the object, so the upload answers 503 and the process goes on.
 */
export function createS3Blobs(opts: S3Options): PhotoBlobs {
  const timeoutMs = opts.timeoutMs ?? 10_000
  const endpoint = new URL(opts.url)
  // Origin and path only: credentials in the URL would otherwise reach error messages and logs.
  const base = `${endpoint.origin}${endpoint.pathname.replace(/\/+$/, '')}`
  const prefix = opts.prefix.replace(/^\/+|\/+$/g, '')
  // No retries here: a failed upload is answered 503 at once and the phone's outbox retries; aws4fetch's default
  // (10 retries with backoff) would hold the request for tens of seconds.
  const client = new AwsClient({ accessKeyId: opts.accessKeyId, secretAccessKey: opts.secretAccessKey, region: opts.region, service: 's3', retries: 0 })
  const urlOf = (id: string, variant: PhotoVariant) => `${base}/${prefix}/${id.slice(0, 2)}/${variant === 'full' ? `${id}.jpg` : `${id}.thumb.jpg`}`

  async function send(method: 'HEAD' | 'GET' | 'PUT', url: string, body?: Buffer, extra: Record<string, string> = {}): Promise<Response> {
    // A PUT signs its payload's hash, so the service refuses bytes changed on the way; aws4fetch would send
    // UNSIGNED-PAYLOAD.
    const headers = body ? { 'content-type': PHOTO_CONTENT_TYPE, 'x-amz-content-sha256': sha256(body), ...extra } : undefined
    try {
      return await client.fetch(url, { method, headers, body, signal: AbortSignal.timeout(timeoutMs) })
    }
    catch (e) {
      throw new S3Error(method, url, null, reasonOf(e, timeoutMs), { cause: e })
    }
  }

  /** 200 → true, 404 → false, anything else throws. */
  async function exists(url: string): Promise<boolean> {
    const res = await send('HEAD', url)
    if (res.status === 200 || res.status === 404)
      return res.status === 200
    throw new S3Error('HEAD', url, res.status, '')
  }

  /**
   * Writes the object; with `ifNew`, only if it does not exist yet (a conditional write, `If-None-Match: *`): false
   * when it did. A service without conditional writes ignores the header and answers true.
   */
  async function write(url: string, data: Buffer, ifNew = false): Promise<boolean> {
    const res = await send('PUT', url, data, ifNew ? { 'if-none-match': '*' } : {})
    await (res.status === 200 || res.status === 412 ? res.body?.cancel() : undefined)
    if (res.status === 412 && ifNew)
      return false
    if (res.status !== 200)
      throw new S3Error('PUT', url, res.status, await codeOf(res))
    return true
  }

  const blobs: PhotoBlobs = {
    has: id => exists(urlOf(id, 'full')),
    async put(id, variants) {
      // The thumbnail first: a photo whose full object exists always has its thumbnail. Two nodes storing the same
      // photo at once write the same bytes (the key is their hash); the full object's conditional write tells one
      // of them it was first, where the service supports it (S3 since 2024, MinIO, Ceph).
      await write(urlOf(id, 'thumb'), variants.thumb)
      if (await exists(urlOf(id, 'full')))
        return false
      return write(urlOf(id, 'full'), variants.full, true)
    },
    async get(id, variant) {
      const url = urlOf(id, variant)
      const res = await send('GET', url)
      if (res.status === 404) {
        await res.body?.cancel()
        return null
      }
      if (res.status !== 200)
        throw new S3Error('GET', url, res.status, await codeOf(res))
      try {
        return Buffer.from(await res.arrayBuffer())
      }
      catch (e) {
        throw new S3Error('GET', url, null, reasonOf(e, timeoutMs), { cause: e })
      }
    },
  }
  return withProblems(blobs, s3ProblemOf)
}

/** The photo service over a bucket: the same decoding and ids as on disk or in the database. */
export function createS3PhotoStore(opts: S3Options): PhotoStore {
  return createPhotoStoreOn(createS3Blobs(opts))
}
