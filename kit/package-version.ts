// The kit's version for the CLIs' --version, read from the package.json above the running file
// (one level up from source, two from dist/), so it never drifts from what was published.
import { createRequire } from 'node:module';

/** @example packageVersion() // '0.4.0' */
export function packageVersion(): string {
  const require = createRequire(import.meta.url);
  for (const candidate of ['../package.json', '../../package.json']) {
    try {
      const pkg = require(candidate) as { name?: string; version?: string };
      if (pkg.name === 'casapay-contract-kit' && pkg.version) return pkg.version;
    } catch {
      // not at this level
    }
  }
  return 'unknown';
}
