import { defineConfig } from 'vitest/config';

// ssr.resolve.conditions (not plain resolve.conditions) makes workspace deps load from src/,
// otherwise vitest quietly tests a stale dist/.
// The global setup fetches the RocketMQ jars (Maven, cached) once before any test file runs.
// Java peers are whole JVMs on fixed loopback ports: files run one at a time.
export default defineConfig({
  ssr: { resolve: { conditions: ['@apogee/source'] } },
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/global-setup.ts'],
    fileParallelism: false,
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
