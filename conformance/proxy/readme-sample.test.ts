// The README's sample report ("Check your traffic") is this test's output, not hand-written: the
// README's everyday flow through the proxy in front of the mock started with `--defect wrong-type` and
// `--variant extra-fields` (one error group, one warning group). The README must hold the summary
// verbatim between its markers; `UPDATE_PROXY_SAMPLE=1 npx vitest run conformance/proxy/readme-sample.test.ts`
// rewrites it.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { expect, it } from 'vitest';
import { createMockServer } from '../../mocks/server.js';
import { repoRoot } from '../../spec/support/repo-root.js';
import { proxyOptions, sendEverydayFlow } from './fixtures/flows.js';
import { formatProxySummary, startProxy } from './run.js';

const START = '<!-- proxy-sample:start (conformance/proxy/readme-sample.test.ts writes it) -->';
const END = '<!-- proxy-sample:end -->';

it("the README's sample report is what the proxy prints for the README's flow", async () => {
  const mock = await createMockServer({
    port: 0,
    logLevel: 'silent',
    seed: 'readme-sample',
    defects: ['wrong-type'],
    variants: ['extra-fields'],
  });
  try {
    const live: string[] = [];
    const proxy = await startProxy(proxyOptions(mock.url, { write: (l) => live.push(l) }));
    await sendEverydayFlow(proxy.url, 'sk_test_readme_sample', 'readme-sample-create');
    await proxy.stop();
    const sample = [
      '$ npx casapay-conformance proxy --target http://localhost:4010',
      '…',
      ...live,
      formatProxySummary(proxy.session).replace(/^\n/, ''),
      '✗ rules broken (--fail-on error)',
    ]
      .join('\n')
      .replace(/dc_[A-Za-z0-9]+/g, 'dc_…');
    const block = `${START}\n\n\`\`\`text\n${sample}\n\`\`\`\n\n${END}`;
    const readmePath = path.join(repoRoot, 'README.md');
    const readme = readFileSync(readmePath, 'utf8');
    const current = readme.slice(readme.indexOf(START), readme.indexOf(END) + END.length);
    if (process.env.UPDATE_PROXY_SAMPLE === '1') writeFileSync(readmePath, readme.replace(current, block));
    else expect(current).toBe(block);
  } finally {
    await mock.close();
  }
});
