import antfu from '@antfu/eslint-config'

export default antfu({
  vue: true,
  typescript: true,
  ignores: ['dist/**', 'data/**', 'artifacts/**', 'client/public/**', '**/*.geojson'],
}, {
  rules: {
    'no-console': 'off',
    'node/prefer-global/process': 'off',
    'node/prefer-global/buffer': 'off',
    // TypeBox: a schema and its Static<> type share one name on purpose.
    'ts/no-redeclare': 'off',
  },
}, {
  // Environment fence: shared/ is pure TypeScript.
  files: ['shared/**/*.ts'],
  rules: {
    'no-restricted-imports': ['error', { patterns: ['vue', 'fastify', 'node:*', 'socket.io', 'better-sqlite3', '../server/*', '../client/*'] }],
    'no-restricted-globals': ['error', 'window', 'document', 'process'],
  },
}, {
  files: ['client/**/*.{ts,vue}'],
  rules: {
    'no-restricted-imports': ['error', { patterns: ['**/server/**', 'node:*', 'fastify', 'better-sqlite3'] }],
  },
})
