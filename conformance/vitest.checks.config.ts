// The conformance checks' own vitest config (the repo's vitest.config.ts excludes conformance/checks/**
// from `npm test`). The CLI runs it with startVitest and provides the target; see conformance/run.ts.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['conformance/checks/**/*.check.ts'],
    setupFiles: ['conformance/support/setup.ts'],
    // Each file works in its own account, so files run in parallel; tests inside a file run in order.
    pool: 'threads',
    // The checks wait on the network, not the CPU: more workers than cores keeps the target busy.
    // Workers are reused across files (isolate: false) so the contract is compiled once per worker.
    maxWorkers: 4,
    isolate: false,
    testTimeout: 15_000,
    hookTimeout: 15_000,
    // A failed conformance check is a finding, not flakiness: never retry.
    retry: 0,
  },
});
