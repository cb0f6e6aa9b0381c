import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: [
      'spec/**/*.test.ts',
      'kit/**/*.test.ts',
      'mocks/**/*.test.ts',
      'client/**/*.test.ts',
      'examples/**/*.test.ts',
      'conformance/**/*.test.ts',
      'scripts/**/*.test.ts',
    ],
    // Any node_modules, not only the root's: scripts/bench-peers installs its own (zod ships its tests).
    exclude: ['conformance/checks/**', '**/node_modules/**', 'dist/**'],
    // The JSON report lets .ci/run print a plain "N passed, N failed" closing line.
    reporters: ['default', ['json', { outputFile: 'reports/vitest.json' }]],
    testTimeout: 20_000,
    hookTimeout: 30_000,
  },
});
