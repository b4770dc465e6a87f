import { defineConfig } from 'vitest/config';

// The workspace runs @graft/* from their TypeScript sources (exports condition "graft-source"): no build step for tests.
const conditions = ['graft-source', 'module', 'node', 'development|production']; // Vite's server defaults, after ours

const gpuTests = 'packages/backend-gpu/test/**/*.test.ts';
const browserTests = 'examples/browser/test/**/*.test.ts';

export default defineConfig({
  resolve: { conditions },
  ssr: { resolve: { conditions, externalConditions: ['graft-source'] } },
  test: {
    testTimeout: 60_000,
    // CI asks for a machine-readable summary too (.ci/run prints it as one 'N passed, N failed' line).
    ...(process.env.GRAFT_TEST_SUMMARY
      ? { reporters: ['default', 'json'], outputFile: { json: process.env.GRAFT_TEST_SUMMARY } }
      : {}),
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['packages/*/test/**/*.test.ts', 'packages/*/src/**/*.test.ts'],
          exclude: [gpuTests, '**/node_modules/**'],
          pool: 'threads',
        },
      },
      {
        // headless-gl's native module loads in one thread per process: each GPU test file gets a process.
        extends: true,
        test: {
          name: 'gpu',
          include: [gpuTests],
          pool: 'forks',
          // Prints once why the GPU tests skip (no GL context), or that they fail under GRAFT_REQUIRE_GPU=1.
          globalSetup: ['packages/backend-gpu/test/global-setup.ts'],
        },
      },
      {
        // examples/browser built with Vite and opened in headless Chromium (puppeteer-core): the page trains on cpu and
        // WebGL2, and core's conformance suite runs on the gpu backend there. Prints once why it skips (no chromium).
        extends: true,
        test: {
          name: 'browser',
          include: [browserTests],
          pool: 'forks',
          globalSetup: ['examples/browser/test/global-setup.ts'],
        },
      },
    ],
  },
});
