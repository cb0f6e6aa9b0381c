// Runs in every check file: after each test, hand what the client recorded to the test's meta, which
// vitest carries to the reporter in the CLI's process (coverage always, exchanges on failure).
import { afterEach, beforeEach } from 'vitest';
import { recorder, type CoverageHit, type Exchange, type Violation, type Warning } from './recorder.js';

declare module 'vitest' {
  interface TaskMeta {
    coverage?: CoverageHit[];
    exchanges?: Exchange[];
    violations?: Violation[];
    warnings?: Warning[];
  }
}

// While a test runs, each warning also annotates it: vitest's JUnit reporter writes annotations as
// <property name="warning" value="…"> of the test case. (Annotating is refused once the test is over.)
beforeEach((ctx) => {
  recorder.onWarning = (w) =>
    void ctx.annotate(`${w.rule} ${w.operationId ?? ''} ${w.path}: ${w.message}`, 'warning').catch(() => undefined);
});

afterEach((ctx) => {
  recorder.onWarning = undefined;
  const { exchanges, violations, coverage, warnings } = recorder.drain();
  ctx.task.meta.coverage = coverage;
  if (warnings.length) ctx.task.meta.warnings = warnings;
  if (ctx.task.result?.state === 'fail') {
    ctx.task.meta.exchanges = exchanges.slice(-3);
    ctx.task.meta.violations = violations;
  }
});
