import { availableParallelism } from 'node:os';
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
    exclude: ['conformance/checks/**', 'node_modules/**', 'dist/**'],
    // The JSON report lets .ci/run print a plain "N passed, N failed" closing line.
    reporters: ['default', ['json', { outputFile: 'reports/vitest.json' }]],
    // Vitest's default (cores − 1) is one worker on a 2-core CI box: most files wait on sockets and
    // child processes, not the CPU, so two workers there halve the wall time of `npm test`.
    maxWorkers: Math.max(2, availableParallelism() - 1),
    testTimeout: 20_000,
    hookTimeout: 30_000,
  },
});
