import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    // The PostgreSQL the dialect tests use (started here unless ONESCREEN_TEST_PG_URL names one).
    globalSetup: ['tests/helpers/pg-global.ts'],
    environment: 'node',
    // Cheaper password hashing for the many demo sign-ins tests make (production keeps 2^15).
    env: { ONESCREEN_SCRYPT_LOG2N: '12' },
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Browser and restart tests start real servers; keep files from fighting over the 2 cores.
    maxWorkers: 2,
    projects: [
      // The domain, the client's stores and the server's layers: one module graph per worker (no per-file
      // isolation halves their time). A test must leave shared modules as it found them: each context gets its own
      // copy of what it may change (e.g. the Cuntan package).
      { extends: true, test: { name: 'unit', include: ['tests/{shared,client,server}/**/*.test.ts'], isolate: false } },
      // Browsers against real servers: isolated, as each file's servers and pages are its own.
      { extends: true, test: { name: 'e2e', include: ['tests/e2e/**/*.test.ts'] } },
    ],
  },
})
