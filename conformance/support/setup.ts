// Runs in every check file: after each test, hand what the client recorded to the test's meta, which
// vitest carries to the reporter in the CLI's process (coverage always, exchanges on failure).
import { afterEach } from 'vitest';
import { recorder, type CoverageHit, type Exchange, type Violation } from './recorder.js';

declare module 'vitest' {
  interface TaskMeta {
    coverage?: CoverageHit[];
    exchanges?: Exchange[];
    violations?: Violation[];
  }
}

afterEach((ctx) => {
  const { exchanges, violations, coverage } = recorder.drain();
  ctx.task.meta.coverage = coverage;
  if (ctx.task.result?.state === 'fail') {
    ctx.task.meta.exchanges = exchanges.slice(-3);
    ctx.task.meta.violations = violations;
  }
});
