import type { OutputInfo } from 'sharp'
import type { Result } from '../../shared/kernel/result.ts'
import { createHash, randomBytes } from 'node:crypto'
import { mkdir, open, rename, rm, stat } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { fail, succeed } from '../../shared/kernel/result.ts'

// Photos from the street, stored content-addressed: the file name is the SHA-256 of the stored bytes, so a
// retried upload lands on the same file and a report can name its photos by hash before the server has seen
// the report. Every upload is decoded and re-encoded: the type comes from the pixels, not from the name or the
// Content-Type; orientation is baked in from EXIF; metadata (GPS, device serials) does not survive.

/** Formats a phone may send. HEIC is not here: the phone re-encodes to JPEG before upload (client/screens/field/photo.ts). */
const ACCEPTED = new Set(['jpeg', 'png', 'webp', 'avif'])
/** Longest side of the stored photo and of its thumbnail. */
const FULL_PX = 2048
const THUMB_PX = 360
/** A decompression bomb is refused before it is decoded (≈ 50 megapixels). */
const MAX_INPUT_PIXELS = 50_000_000

export type PhotoVariant = 'full' | 'thumb'

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
  /** The file of a stored photo, or null when there is none. */
  file: (id: string, variant: PhotoVariant) => Promise<string | null>
}

const ID = /^[a-f0-9]{64}$/

/** Writes to a temporary name, syncs, then renames: a crash leaves either no file or the whole file. */
async function writeDurably(path: string, data: Buffer): Promise<void> {
  await mkdir(dirname(path), { recursive: true })
  const tmp = `${path}.${randomBytes(6).toString('hex')}.tmp`
  const fh = await open(tmp, 'w')
  try {
    await fh.writeFile(data)
    await fh.sync()
  }
  finally {
    await fh.close()
  }
  await rename(tmp, path).catch(async (e: unknown) => {
    await rm(tmp, { force: true })
    throw e
  })
  const dir = await open(dirname(path), 'r')
  try {
    await dir.sync()
  }
  finally {
    await dir.close()
  }
}

const exists = (path: string) => stat(path).then(() => true, () => false)

/** sharp (libvips) is loaded on the first upload, not at start: ~0.5 s a server or test would pay for nothing. */
let loading: Promise<typeof import('sharp')['default']> | null = null
const sharpLib = () => (loading ??= import('sharp').then(m => m.default))

export function createPhotoStore(root: string): PhotoStore {
  const pathOf = (id: string, variant: PhotoVariant) => join(root, id.slice(0, 2), variant === 'full' ? `${id}.jpg` : `${id}.thumb.jpg`)

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
    const fullPath = pathOf(id, 'full')
    const thumbPath = pathOf(id, 'thumb')
    // The thumbnail first: a photo whose full file exists always has its thumbnail.
    if (!await exists(thumbPath)) {
      const thumb = await (await sharpLib())(full.data).resize({ width: THUMB_PX, height: THUMB_PX, fit: 'inside', withoutEnlargement: true }).jpeg({ quality: 70 }).toBuffer()
      await writeDurably(thumbPath, thumb)
    }
    if (!await exists(fullPath)) {
      await writeDurably(fullPath, full.data)
      photo.created = true
    }
    return succeed(photo, { created: photo.created })
  }

  async function file(id: string, variant: PhotoVariant): Promise<string | null> {
    if (!ID.test(id))
      return null
    const path = pathOf(id, variant)
    return await exists(path) ? path : null
  }

  return { save, file }
}
