// A vitest reporter living in the CLI's process: prints one line per check as it finishes and keeps
// what the result model needs (states, skip notes, errors with their extra properties, and the
// coverage and exchanges the checks' setup file put in each test's meta).
import path from 'node:path';
import type { Reporter, SerializedError, TestCase, TestModule, TestSuite } from 'vitest/node';
import type { RawCheck, RawError, RawGroupError } from './model.js';
import { formatProgressLine } from './summary.js';

const toRawError = (error: SerializedError | { message?: string; name?: string }): RawError => {
  const e = error as SerializedError & { violation?: RawError['violation']; exchange?: RawError['exchange'] };
  return {
    message: String(e.message ?? e.name ?? 'error'),
    name: e.name,
    violation: e.violation,
    exchange: e.exchange,
  };
};

function titlesOf(entity: TestCase | TestSuite): string[] {
  const titles: string[] = [entity.name];
  let parent = entity.parent;
  while (parent.type === 'suite') {
    titles.unshift(parent.name);
    parent = parent.parent;
  }
  return titles;
}

export class CollectingReporter implements Reporter {
  readonly checks: RawCheck[] = [];
  readonly groupErrors: RawGroupError[] = [];
  readonly unhandledErrors: RawError[] = [];

  constructor(
    private readonly root: string,
    private readonly write: (line: string) => void = (line) => process.stdout.write(`${line}\n`),
    private readonly color = false,
  ) {}

  private relative(moduleId: string): string {
    return path.relative(this.root, moduleId).split(path.sep).join('/');
  }

  onTestCaseResult(test: TestCase): void {
    const result = test.result();
    const meta = test.meta();
    const check: RawCheck = {
      titles: titlesOf(test),
      file: this.relative(test.module.moduleId),
      state: result.state,
      durationMs: test.diagnostic()?.duration ?? 0,
      note: result.state === 'skipped' ? result.note : undefined,
      mode: test.options.mode,
      errors: (result.errors ?? []).map(toRawError),
      coverage: meta.coverage ?? [],
      exchanges: meta.exchanges ?? [],
      violations: meta.violations ?? [],
      warnings: meta.warnings ?? [],
    };
    this.checks.push(check);
    this.write(formatProgressLine(check, this.color));
  }

  onTestModuleEnd(module: TestModule): void {
    const file = this.relative(module.moduleId);
    const moduleErrors = module.errors();
    if (moduleErrors.length) {
      this.groupErrors.push({ titles: [], file, errors: moduleErrors.map(toRawError) });
      this.write(`  ✗ ${file}: ${moduleErrors[0]?.message ?? 'failed to load'}`);
    }
    for (const suite of module.children.allSuites()) {
      const errors = suite.errors();
      if (!errors.length) continue;
      this.groupErrors.push({ titles: titlesOf(suite), file, errors: errors.map(toRawError) });
      this.write(`  ✗ ${titlesOf(suite).join(' > ')} > (setup): ${(errors[0]?.message ?? '').split('\n')[0]}`);
    }
  }

  onTestRunEnd(_modules: ReadonlyArray<TestModule>, unhandledErrors: ReadonlyArray<SerializedError>): void {
    this.unhandledErrors.push(...unhandledErrors.map(toRawError));
  }
}
