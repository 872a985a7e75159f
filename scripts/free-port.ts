import { createServer } from 'node:net'

/** A loopback port nobody listens on now (the OS picks it): for the throwaway PostgreSQL, the cluster's nodes. */
export function freePort(): Promise<number> {
  return new Promise((done, reject) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number }
      s.close(() => done(port))
    }).on('error', reject)
  })
}
