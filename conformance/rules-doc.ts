// `npm run rules`: writes conformance/RULES.md from conformance/rules.ts.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { renderRulesMarkdown } from './rules.js';

const file = path.join(path.dirname(fileURLToPath(import.meta.url)), 'RULES.md');
writeFileSync(file, renderRulesMarkdown());
console.log(`Wrote ${path.relative(process.cwd(), file)}.`);
