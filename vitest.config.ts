import { createRequire } from 'node:module';
import { defineConfig } from 'vitest/config';

const require = createRequire(import.meta.url);

export default defineConfig({
  resolve: {
    // graphql 16 ships CJS and ESM builds; without this alias vitest loads both and graphql-js
    // refuses schemas "from another module or realm".
    alias: { graphql: require.resolve('graphql') },
  },
  test: {
    include: ['test/**/*.test.ts'],
    // The chaos suite (kills, restarts, fuzz, soak) runs on its own: `npm run test:chaos`.
    exclude: ['test/chaos/**', '**/node_modules/**'],
    environment: 'node',
    pool: 'forks',
    // Two cores: files run two at a time; each starts its own server and project(s).
    maxWorkers: 2,
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
