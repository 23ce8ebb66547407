import { defineConfig } from 'vitest/config';

// ssr.resolve.conditions (not plain resolve.conditions) makes workspace deps load from src/,
// otherwise vitest quietly tests a stale dist/.
export default defineConfig({
  ssr: { resolve: { conditions: ['@apogee/source'] } },
  test: { include: ['test/**/*.test.ts'], testTimeout: 30_000, hookTimeout: 30_000 },
});
