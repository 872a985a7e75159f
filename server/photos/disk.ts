import type { PhotoBlobs, PhotoVariant } from './service.ts'
import { randomBytes } from 'node:crypto'
import { mkdir, open, readFile, rename, rm, stat } from 'node:fs/promises'
import { dirname, join } from 'node:path'

// Photos as files: `<root>/<first two hex digits>/<id>.jpg` and `<id>.thumb.jpg`, the layout installs already have.

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

export function createDiskBlobs(root: string): PhotoBlobs {
  const pathOf = (id: string, variant: PhotoVariant) => join(root, id.slice(0, 2), variant === 'full' ? `${id}.jpg` : `${id}.thumb.jpg`)
  return {
    has: id => exists(pathOf(id, 'full')),
    async put(id, variants) {
      // The thumbnail first: a photo whose full file exists always has its thumbnail, even after a crash between.
      if (!await exists(pathOf(id, 'thumb')))
        await writeDurably(pathOf(id, 'thumb'), variants.thumb)
      if (await exists(pathOf(id, 'full')))
        return false
      await writeDurably(pathOf(id, 'full'), variants.full)
      return true
    },
    async get(id, variant) {
      try {
        return await readFile(pathOf(id, variant))
      }
      catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'ENOENT')
          return null
        throw e
      }
    },
  }
}
