// The kit's own contract history, classified: every pair of consecutive releases of each contract
// (spec/released/), with CHANGELOG.md agreeing; each snapshot is what its release commit bundles to;
// and the CI gate — the working contracts against the last release, failing on an unannounced
// breaking change with the rule and the path named.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../../spec/support/repo-root.js';
import { breakingChangeAnnounced, changelogSection, isBreakingBump, saysBreaking } from './announce.js';
import { compareContracts } from './diff.js';
import { loadContract } from './load.js';
import { formatBreak, readReleaseTable, readSnapshot, snapshotPath, unannouncedBreakingChanges } from './released.js';
import type { JsonObject } from './types.js';

const table = await readReleaseTable(repoRoot);
const changelog = readFileSync(path.join(repoRoot, 'CHANGELOG.md'), 'utf8');
const pairs = table.releases.slice(1).map((release, i) => ({ from: table.releases[i]!, to: release }));

/** What the tool says of each release, per contract: the verdicts the CHANGELOG must agree with. */
const EXPECTED: Record<string, Record<string, 'breaking' | 'compatible' | 'warning'>> = {
  '0.1.0 → 0.2.0': { casapay: 'breaking', 'debitura-customer': 'compatible', 'debitura-referral': 'compatible' },
  '0.2.0 → 0.3.0': { casapay: 'compatible', 'debitura-customer': 'breaking', 'debitura-referral': 'breaking' },
};

const verdict = (base: JsonObject, head: JsonObject) => {
  const findings = compareContracts(base, head);
  return findings.some((f) => f.clients === 'breaking')
    ? 'breaking'
    : findings.some((f) => f.clients === 'warning')
      ? 'warning'
      : 'compatible';
};

describe("the kit's contract history", () => {
  it.each(pairs.map((p) => [`${p.from.version} → ${p.to.version}`, p] as const))(
    '%s: classified, and the CHANGELOG agrees',
    async (name, { from, to }) => {
      const verdicts: Record<string, string> = {};
      for (const contract of Object.keys(table.contracts)) {
        const [a, b] = [snapshotPath(repoRoot, from.version, contract), snapshotPath(repoRoot, to.version, contract)];
        if (a && b) verdicts[contract] = verdict(await readSnapshot(repoRoot, a), await readSnapshot(repoRoot, b));
      }
      expect(verdicts).toEqual(EXPECTED[name]);
      const breaking = Object.values(verdicts).includes('breaking');
      // A breaking release is announced (a breaking bump and a "Breaking" line); a "Breaking" line needs something that broke.
      if (breaking) expect(breakingChangeAnnounced(from.version, to.version, changelog)).toEqual({ announced: true });
      expect(saysBreaking(changelogSection(changelog, to.version))).toBe(breaking);
    },
  );

  it('every release in the table has a CHANGELOG section, in order', () => {
    for (const { version } of table.releases)
      expect(changelogSection(changelog, version), `CHANGELOG.md has no "## ${version}"`).toBeDefined();
    const rank = (v: string) => v.split('.').reduce((n, part) => n * 1000 + Number(part), 0);
    for (const { from, to } of pairs)
      expect(rank(to.version), `${from.version} → ${to.version}`).toBeGreaterThan(rank(from.version));
  });

  const shallow = (() => {
    try {
      return (
        execFileSync('git', ['rev-parse', '--is-shallow-repository'], { cwd: repoRoot }).toString().trim() !== 'false'
      );
    } catch {
      return true;
    }
  })();
  // CI clones with full history; in a shallow clone or a tarball the release commits are absent, and the
  // snapshots are then taken on trust — this test says so by being skipped, never by passing.
  it
    .skipIf(shallow)
    .each(
      table.releases.flatMap((r) =>
        Object.entries(table.contracts).flatMap(([name, entry]) =>
          snapshotPath(repoRoot, r.version, name)
            ? [[`${r.version} ${name}`, r.commit, entry, snapshotPath(repoRoot, r.version, name)!] as const]
            : [],
        ),
      ),
    )(
    'the %s snapshot is its release commit bundled (git history)',
    async (_name, commit, entry, snapshot) => {
      const { doc } = await loadContract(`${commit}:${entry}`, repoRoot);
      expect(doc).toEqual(await readSnapshot(repoRoot, snapshot));
    },
    30_000,
  );
});

describe('the working contracts against the last release (the CI gate)', () => {
  it('nothing breaks unannounced', async () => {
    const { breaks } = await unannouncedBreakingChanges(repoRoot);
    expect(
      breaks.map(formatBreak),
      'a breaking change needs a version bump in package.json and a CHANGELOG line saying "Breaking"',
    ).toEqual([]);
  }, 30_000);

  it('a breaking edit fails, naming the rule and the path', async () => {
    const last = table.releases.at(-1)!;
    // Every contract as released (the working ones may have announced breaks of their own), CasaPay's
    // with one path removed, judged as if package.json still had the released version.
    const heads: Record<string, JsonObject> = {};
    for (const name of Object.keys(table.contracts)) {
      const snapshot = snapshotPath(repoRoot, last.version, name);
      if (snapshot) heads[name] = structuredClone(await readSnapshot(repoRoot, snapshot)) as JsonObject;
    }
    delete (heads.casapay as { paths: Record<string, unknown> }).paths['/v1/collection_case_previews'];
    const { breaks } = await unannouncedBreakingChanges(repoRoot, heads, last.version);
    expect(breaks.map(formatBreak)).toEqual([
      expect.stringMatching(
        /^spec\/casapay\.yaml: api-path-removed-without-deprecation at #\/paths\/~1v1~1collection_case_previews .*not announced: package\.json's version/,
      ),
    ]);
  }, 30_000);

  it('a breaking change is announced by a breaking bump and a "Breaking" line, not by either alone', () => {
    const log = (section: string) => `# Changelog\n\n## Unreleased\n${section}\n\n## 0.3.0 — 2026-12-01\n- things\n`;
    expect(breakingChangeAnnounced('0.3.0', '0.4.0', log('- **Breaking**: `amount` is required'))).toEqual({
      announced: true,
    });
    expect(breakingChangeAnnounced('0.3.0', '0.3.1', log('- **Breaking**: `amount` is required')).announced).toBe(
      false,
    );
    expect(breakingChangeAnnounced('0.3.0', '0.4.0', log('- `amount` is required')).announced).toBe(false);
    expect(isBreakingBump('1.2.3', '1.3.0')).toBe(false);
    expect(isBreakingBump('1.2.3', '2.0.0')).toBe(true);
    expect(isBreakingBump('0.0.1', '0.0.2')).toBe(true);
  });
});
