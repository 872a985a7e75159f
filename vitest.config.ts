import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    // The PostgreSQL the dialect tests use (started here unless ONESCREEN_TEST_PG_URL names one).
    globalSetup: ['tests/helpers/pg-global.ts'],
    environment: 'node',
    // Cheaper password hashing for the many demo sign-ins tests make (production keeps 2^15).
    env: { ONESCREEN_SCRYPT_LOG2N: '12' },
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Browser and restart tests start real servers; keep files from fighting over the 2 cores.
    maxWorkers: 2,
  },
})
