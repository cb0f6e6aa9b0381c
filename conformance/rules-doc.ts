// `npm run rules`: writes conformance/RULES.md from conformance/rules.ts and conformance/PROVENANCE.md
// from the contracts' fields and the rules' holds (conformance/provenance.ts).
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { renderProvenanceMarkdown } from './provenance.js';
import { renderRulesMarkdown } from './rules.js';

const here = path.dirname(fileURLToPath(import.meta.url));
for (const [name, text] of [
  ['RULES.md', renderRulesMarkdown()],
  ['PROVENANCE.md', renderProvenanceMarkdown()],
] as const) {
  const file = path.join(here, name);
  writeFileSync(file, text);
  console.log(`Wrote ${path.relative(process.cwd(), file)}.`);
}
