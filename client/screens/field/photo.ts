// Photos are made small on the phone before they are kept or sent: a 12-megapixel camera JPEG (3–5 MB) becomes
// ~200–400 KB at 1600 px, which a weak 4G cell sends in seconds. createImageBitmap applies the EXIF orientation
// ('from-image'), and a canvas re-encode drops EXIF (and the GPS position in it).

/** Longest side after compression. */
export const MAX_SIDE = 1600
const QUALITY = 0.8

export async function compressPhoto(file: Blob, maxSide = MAX_SIDE): Promise<Blob> {
  let bitmap: ImageBitmap
  try {
    bitmap = await createImageBitmap(file, { imageOrientation: 'from-image' })
  }
  catch {
    // A format this browser cannot decode (HEIC on some phones): send it as it is, the server decides.
    return file
  }
  const scale = Math.min(1, maxSide / Math.max(bitmap.width, bitmap.height))
  const w = Math.max(1, Math.round(bitmap.width * scale))
  const h = Math.max(1, Math.round(bitmap.height * scale))
  try {
    if (typeof OffscreenCanvas !== 'undefined') {
      const canvas = new OffscreenCanvas(w, h)
      canvas.getContext('2d')!.drawImage(bitmap, 0, 0, w, h)
      return await canvas.convertToBlob({ type: 'image/jpeg', quality: QUALITY })
    }
    const canvas = document.createElement('canvas')
    canvas.width = w
    canvas.height = h
    canvas.getContext('2d')!.drawImage(bitmap, 0, 0, w, h)
    return await new Promise<Blob>((resolve, reject) => canvas.toBlob(b => b ? resolve(b) : reject(new Error('JPEG encoding failed')), 'image/jpeg', QUALITY))
  }
  finally {
    bitmap.close()
  }
}
