import { describe, expect, it } from 'vitest'
import { startServer } from '../../helpers/server.ts'

// Two servers that share nothing: started side by side.
describe.concurrent('first start outside the demo', () => {
  it('refuses to start with no admin password and no terminal to ask on', async () => {
    await expect(startServer({ env: { ONESCREEN_DEMO: '0' } })).rejects.toThrow(/ONESCREEN_ADMIN_PASSWORD/)
  })

  it('creates the admin from ONESCREEN_ADMIN_PASSWORD and has no demo accounts', async () => {
    const server = await startServer({ env: { ONESCREEN_DEMO: '0', ONESCREEN_ADMIN_PASSWORD: 'correct-horse-battery' } })
    try {
      const login = (username: string, password: string) => fetch(`${server.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password }) })
      expect((await login('admin', 'correct-horse-battery')).status).toBe(200)
      expect((await login('operator', 'demo-operator-2026')).status).toBe(401)
      // No demo wall sign-in outside the demo.
      const page = await fetch(`${server.url}/`)
      expect(page.headers.getSetCookie()).toEqual([])
    }
    finally {
      await server.stop()
    }
  }, 60_000)
})
