// exceljs stamps every zip entry with the time of writing; a committed workbook must not change when nothing
// in it did. This rewrites the DOS time and date of each entry (local header and central directory) in place.

const EOCD = 0x06054B50
const CENTRAL = 0x02014B50
const LOCAL = 0x04034B50

/** 2026-01-01 00:00:00 as DOS date/time. */
const DOS_TIME = 0
const DOS_DATE = ((2026 - 1980) << 9) | (1 << 5) | 1

export function fixZipDates(zip: Buffer): Buffer {
  let eocd = -1
  for (let i = zip.length - 22; i >= Math.max(0, zip.length - 22 - 0xFFFF); i--) {
    if (zip.readUInt32LE(i) === EOCD) {
      eocd = i
      break
    }
  }
  if (eocd < 0)
    throw new Error('not a zip file: no end of central directory')
  const entries = zip.readUInt16LE(eocd + 10)
  let at = zip.readUInt32LE(eocd + 16)
  for (let n = 0; n < entries; n++) {
    if (zip.readUInt32LE(at) !== CENTRAL)
      throw new Error('zip central directory is damaged')
    zip.writeUInt16LE(DOS_TIME, at + 12)
    zip.writeUInt16LE(DOS_DATE, at + 14)
    const local = zip.readUInt32LE(at + 42)
    if (zip.readUInt32LE(local) === LOCAL) {
      zip.writeUInt16LE(DOS_TIME, local + 10)
      zip.writeUInt16LE(DOS_DATE, local + 12)
    }
    at += 46 + zip.readUInt16LE(at + 28) + zip.readUInt16LE(at + 30) + zip.readUInt16LE(at + 32)
  }
  return zip
}
