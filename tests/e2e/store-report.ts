import { randomUUID } from 'node:crypto'
import { buildApp } from '../../server/app.ts'
import { DEMO_INTEGRATION_KEY } from '../../server/auth/accounts.ts'
import { createContext } from '../../server/context.ts'
import { testConfig } from '../helpers/app.ts'

/**
 * Reports into the store of a stopped server, from this process, as the integration does over HTTP (the
 * app is built but not listening): another writer on the same data directory, with no server to push the
 * change to anyone. Imported statically, so the outage a test makes is not spent loading the server.
 */
export async function reportToStore(dataDir: string, body: Record<string, unknown>): Promise<{ id: string }> {
  const ctx = await createContext(testConfig({ dataDir }))
  const { app } = await buildApp(ctx)
  try {
    const res = await app.inject({ method: 'POST', url: '/api/incidents', headers: { 'authorization': `Bearer ${DEMO_INTEGRATION_KEY}`, 'idempotency-key': randomUUID() }, payload: body })
    if (res.statusCode !== 201)
      throw new Error(`report failed: ${res.statusCode} ${res.body}`)
    return res.json() as { id: string }
  }
  finally {
    await app.close()
    ctx.presence.close()
    await ctx.store.close()
  }
}
