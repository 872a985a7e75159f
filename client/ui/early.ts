// Requests the page's first script starts before the app has loaded (vite.config.ts, page-preload.js), handed to
// the page that wants them. Each is taken once: a later load of the same data asks the server again.

/** The page whose snapshot page-preload.js asks for, and the global it leaves the answer's promise in. */
export const EARLY_SNAPSHOT_PAGE = '/m'
export const EARLY_SNAPSHOT = '__onescreenSnapshot'

type Early = Record<typeof EARLY_SNAPSHOT, Promise<unknown> | undefined>

/** The snapshot page-preload.js asked for (null if it failed or was refused), or undefined if it asked none. */
export function takeEarlySnapshot<T>(): Promise<T | null> | undefined {
  const w = globalThis as unknown as Partial<Early>
  const p = w[EARLY_SNAPSHOT]
  w[EARLY_SNAPSHOT] = undefined
  return p as Promise<T | null> | undefined
}
