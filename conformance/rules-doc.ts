// `npm run rules`: writes conformance/RULES.md from conformance/rules.ts, conformance/PROVENANCE.md
// from the contracts' fields and the rules' holds (conformance/provenance.ts), and conformance/COVERAGE.md
// from the coverage limits (conformance/coverage-limits.ts).
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadBundledContract, loadContract } from '../kit/contract.js';
import { renderCoverageMarkdown } from './coverage-limits.js';
import { renderProvenanceMarkdown } from './provenance.js';
import { renderRulesMarkdown } from './rules.js';

const here = path.dirname(fileURLToPath(import.meta.url));
for (const [name, text] of [
  ['RULES.md', renderRulesMarkdown()],
  ['PROVENANCE.md', renderProvenanceMarkdown()],
  [
    'COVERAGE.md',
    renderCoverageMarkdown({
      casapay: loadContract().operations,
      debitura: [
        ...loadBundledContract('debitura-referral.json').operations,
        ...loadBundledContract('debitura-customer.json').operations,
      ],
    }),
  ],
] as const) {
  const file = path.join(here, name);
  writeFileSync(file, text);
  console.log(`Wrote ${path.relative(process.cwd(), file)}.`);
}
