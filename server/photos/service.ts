import type { OutputInfo } from 'sharp'
import type { Result } from '../../shared/kernel/result.ts'
import { createHash } from 'node:crypto'
import { fail, succeed } from '../../shared/kernel/result.ts'
import { createDiskBlobs } from './disk.ts'

// Photos from the street, stored content-addressed: the id is the SHA-256 of the stored bytes, so a retried upload
// lands on the same photo and a report can name its photos by hash before the server has seen the report. Every
// upload is decoded and re-encoded: the type comes from the pixels, not from the name or the Content-Type;
// orientation is baked in from EXIF; metadata (GPS, device serials) does not survive. Where the bytes live is a
// `PhotoBlobs`: the node's disk (SQLite installs) or the tenant's database, which every node reads (#19).

/** Formats a phone may send. HEIC is not here: the phone re-encodes to JPEG before upload (client/screens/field/photo.ts). */
const ACCEPTED = new Set(['jpeg', 'png', 'webp', 'avif'])
/** Longest side of the stored photo and of its thumbnail. */
const FULL_PX = 2048
const THUMB_PX = 360
/** A decompression bomb is refused before it is decoded (≈ 50 megapixels). */
const MAX_INPUT_PIXELS = 50_000_000

export type PhotoVariant = 'full' | 'thumb'

/** Every stored variant is a JPEG. */
export const PHOTO_CONTENT_TYPE = 'image/jpeg'

export interface StoredPhoto {
  id: string
  width: number
  height: number
  bytes: number
  /** False when the same photo was stored before (a retried upload). */
  created: boolean
}

export type SaveResult = Result<StoredPhoto>

export interface PhotoStore {
  save: (input: Buffer) => Promise<SaveResult>
  /** The bytes (JPEG) of a stored photo, or null when there is none. */
  read: (id: string, variant: PhotoVariant) => Promise<Buffer | null>
}

/** Where the encoded bytes are kept, by content hash and variant. */
export interface PhotoBlobs {
  /** Whether the full photo is stored (then its thumbnail is too). */
  has: (id: string) => Promise<boolean>
  /** Stores both variants, the thumbnail never after the full photo; true when the full photo is new. */
  put: (id: string, variants: Record<PhotoVariant, Buffer>) => Promise<boolean>
  get: (id: string, variant: PhotoVariant) => Promise<Buffer | null>
}

const ID = /^[a-f0-9]{64}$/

/** sharp (libvips) is loaded on the first upload, not at start: ~0.5 s a server or test would pay for nothing. */
let loading: Promise<typeof import('sharp')['default']> | null = null
const sharpLib = () => (loading ??= import('sharp').then(m => m.default))

/** The photo service over a blob store: decoding, re-encoding and ids are the same whatever keeps the bytes. */
export function createPhotoStoreOn(blobs: PhotoBlobs): PhotoStore {
  async function save(input: Buffer): Promise<SaveResult> {
    let format: string | undefined
    try {
      format = (await (await sharpLib())(input, { limitInputPixels: MAX_INPUT_PIXELS }).metadata()).format
    }
    catch {
      return fail('unsupported', 'the file is not an image this server can read (JPEG, PNG, WebP or AVIF)', 'file')
    }
    if (!format || !ACCEPTED.has(format))
      return fail('unsupported', `${format ?? 'unknown'} images are not accepted: send JPEG, PNG, WebP or AVIF`, 'file')
    let full: { data: Buffer, info: OutputInfo }
    try {
      full = await (await sharpLib())(input, { limitInputPixels: MAX_INPUT_PIXELS, failOn: 'error' })
        .rotate() // EXIF orientation → pixels
        .resize({ width: FULL_PX, height: FULL_PX, fit: 'inside', withoutEnlargement: true })
        .jpeg({ quality: 82 })
        .toBuffer({ resolveWithObject: true })
    }
    catch {
      return fail('unsupported', `the ${format} image is damaged and cannot be decoded`, 'file')
    }
    const id = createHash('sha256').update(full.data).digest('hex')
    const photo: StoredPhoto = { id, width: full.info.width, height: full.info.height, bytes: full.data.length, created: false }
    // A retried upload skips the thumbnail's encoding: the stored full photo vouches for its thumbnail.
    if (!await blobs.has(id)) {
      const thumb = await (await sharpLib())(full.data).resize({ width: THUMB_PX, height: THUMB_PX, fit: 'inside', withoutEnlargement: true }).jpeg({ quality: 70 }).toBuffer()
      photo.created = await blobs.put(id, { thumb, full: full.data })
    }
    return succeed(photo, { created: photo.created })
  }

  async function read(id: string, variant: PhotoVariant): Promise<Buffer | null> {
    return ID.test(id) ? blobs.get(id, variant) : null
  }

  return { save, read }
}

/** Photos on this node's disk under `root` (SQLite installs: one process, one disk). */
export function createPhotoStore(root: string): PhotoStore {
  return createPhotoStoreOn(createDiskBlobs(root))
}
