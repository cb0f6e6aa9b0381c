// `casapay-conformance compat <base> <head>`: the command line of the compatibility check, its
// output and exit codes (0 nothing breaks, 1 breaking — or a warning under --fail-on warning —, 2 bad
// arguments or a contract that cannot be read). cli.ts hands every argv starting with `compat` here.
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Command, CommanderError, Option } from 'commander';
import { compareContracts } from './diff.js';
import { ContractLoadError, loadContract } from './load.js';
import {
  formatJson,
  formatJunit,
  formatMarkdown,
  formatText,
  summarize,
  type Audience,
  type CompatResult,
  type FailOn,
} from './report.js';

export interface CompatIo {
  out: (line: string) => void;
  err: (line: string) => void;
}

const defaultIo: CompatIo = { out: (l) => process.stdout.write(`${l}\n`), err: (l) => process.stderr.write(`${l}\n`) };

export interface CompatOptions {
  failOn?: FailOn;
  audience?: Audience;
  cwd?: string;
}

/** Loads both contracts (files or `REF:path`) and classifies every difference. */
export async function checkCompatibility(
  base: string,
  head: string,
  options: CompatOptions = {},
): Promise<CompatResult> {
  const cwd = options.cwd ?? process.cwd();
  const [b, h] = await Promise.all([loadContract(base, cwd), loadContract(head, cwd)]);
  return summarize(b.label, h.label, compareContracts(b.doc, h.doc), options.audience, options.failOn);
}

interface Flags {
  failOn: FailOn;
  for: Audience;
  format: 'text' | 'json' | 'markdown' | 'junit';
  json?: string;
  junit?: string;
  markdown?: string;
  all?: boolean;
}

/**
 * Runs `compat …` (argv without `casapay-conformance`) and resolves with the exit code.
 * @example await runCompatCommand(['compat', 'HEAD~1:spec/casapay.yaml', 'spec/casapay.yaml']) // 1 when something breaks
 */
export async function runCompatCommand(
  argv: readonly string[],
  io: CompatIo = defaultIo,
  cwd = process.cwd(),
): Promise<number> {
  let code = 0;
  const program = new Command('casapay-conformance')
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.out(s.trimEnd()), writeErr: (s) => io.err(s.trimEnd()) });
  program
    .command('compat')
    .description(
      'Classify every difference between two versions of an OpenAPI 3.0/3.1 contract as breaking, warning or compatible, for clients and for implementations. Each side is a file (YAML or JSON) or a git ref written REF:path (HEAD~1:spec/casapay.yaml); $refs into other files are resolved.',
    )
    .argument('<base>', 'the contract clients and implementations were built on')
    .argument('<head>', 'the new version')
    .addOption(
      new Option('--fail-on <level>', 'exit 1 on this level or worse')
        .choices(['breaking', 'warning'])
        .default('breaking'),
    )
    .addOption(
      new Option('--for <audience>', 'whose verdict decides the exit code and the headline')
        .choices(['clients', 'implementations'])
        .default('clients'),
    )
    .addOption(
      new Option('--format <format>', 'what to print').choices(['text', 'json', 'markdown', 'junit']).default('text'),
    )
    .option('--json <file>', 'also write the JSON report here')
    .option('--junit <file>', 'also write a JUnit report here (one test case per difference)')
    .option('--markdown <file>', 'also write a Markdown summary here (for a pull-request comment)')
    .option('--all', 'list compatible differences one by one in the text output')
    .action(async (base: string, head: string, o: Flags) => {
      const result = await checkCompatibility(base, head, { failOn: o.failOn, audience: o.for, cwd });
      const printed = {
        text: () => formatText(result, o.all),
        json: () => formatJson(result),
        markdown: () => formatMarkdown(result),
        junit: () => formatJunit(result),
      }[o.format]();
      io.out(printed.trimEnd());
      const write = async (file: string, text: string) => {
        const target = path.resolve(cwd, file);
        await mkdir(path.dirname(target), { recursive: true });
        await writeFile(target, text);
      };
      if (o.json) await write(o.json, formatJson(result));
      if (o.junit) await write(o.junit, formatJunit(result));
      if (o.markdown) await write(o.markdown, formatMarkdown(result));
      code = result.verdict === 'fail' ? 1 : 0;
    });
  try {
    await program.parseAsync([...argv], { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : 2;
    if (error instanceof ContractLoadError) {
      io.err(`casapay-conformance compat: ${error.message}`);
      return 2;
    }
    throw error;
  }
  return code;
}
