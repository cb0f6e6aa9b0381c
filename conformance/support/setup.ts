// Runs in every check file: after each test, hand what the client recorded to the test's meta, which
// vitest carries to the reporter in the CLI's process (coverage always, exchanges on failure).
import { afterEach, beforeEach, type RunnerTestCase } from 'vitest';
import { rulesFor } from '../rules.js';
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

/** `[core] cases > creates a case`: the check's name as the reports and the rules inventory know it. */
function checkName(task: RunnerTestCase): string {
  const titles = [task.name];
  for (let suite = task.suite; suite; suite = suite.suite) if (suite.name) titles.unshift(suite.name);
  return titles.join(' > ');
}

/** Matches the `[rule.id] ` a failure message starts with once it names its rule. */
export const NAMED_RULE = /^\[([a-z0-9.*-]+(?:, [a-z0-9.*-]+)*)\] /i;

afterEach((ctx) => {
  recorder.onWarning = undefined;
  const { exchanges, violations, coverage, warnings } = recorder.drain();
  ctx.task.meta.coverage = coverage;
  if (warnings.length) ctx.task.meta.warnings = warnings;
  if (ctx.task.result?.state === 'fail') {
    ctx.task.meta.exchanges = exchanges.slice(-3);
    ctx.task.meta.violations = violations;
    // Every failure names its rule: a bare assertion diff or an exception (a TypeError on an answer
    // that lacked what the check read) gets the id of the rule whose check it is as its first words.
    // A contract violation already names its own (`contract rule "body-schema" …`).
    const ids = rulesFor({ check: checkName(ctx.task), rule: '' }).map((r) => r.id);
    for (const error of ctx.task.result.errors ?? []) {
      if ((error as { violation?: unknown }).violation || NAMED_RULE.test(error.message) || !ids.length) continue;
      error.message = `[${ids.join(', ')}] ${error.message}`;
    }
  }
});
