// When is a breaking change announced? A version bump that semver allows to break (a major bump;
// a minor bump under 0.x; any bump under 0.0.x) and a line saying "Breaking" in that version's
// CHANGELOG section (or in "Unreleased" before the release is named). Keep a Changelog's headings:
// `## 0.3.0 — 2026-12-01`, `## Unreleased`.

interface Semver {
  major: number;
  minor: number;
  patch: number;
}

export function parseVersion(version: string): Semver {
  const m = /^(\d+)\.(\d+)\.(\d+)/.exec(version.trim());
  if (!m) throw new Error(`not a semver version: ${version}`);
  return { major: Number(m[1]), minor: Number(m[2]), patch: Number(m[3]) };
}

/** Does going from `from` to `to` allow breaking changes under semver (0.x: the minor is the major)? */
export function isBreakingBump(from: string, to: string): boolean {
  const a = parseVersion(from);
  const b = parseVersion(to);
  if (b.major !== a.major) return b.major > a.major;
  if (a.major > 0) return false;
  if (b.minor !== a.minor) return b.minor > a.minor;
  return a.minor === 0 && b.patch > a.patch;
}

/** The lines under `## <heading>` up to the next `## ` heading; undefined when there is no such section. */
export function changelogSection(changelog: string, heading: string): string[] | undefined {
  const lines = changelog.split('\n');
  const start = lines.findIndex((l) =>
    new RegExp(`^##\\s+\\[?${heading.replace(/\./g, '\\.')}\\]?(\\s|$)`, 'i').test(l),
  );
  if (start === -1) return undefined;
  const end = lines.findIndex((l, i) => i > start && /^##\s/.test(l));
  return lines.slice(start + 1, end === -1 ? undefined : end);
}

export const saysBreaking = (section: readonly string[] | undefined) =>
  (section ?? []).some((l) => /\bbreaking\b/i.test(l));

export interface Announcement {
  announced: boolean;
  /** Why not, in a sentence naming what to do. */
  reason?: string;
}

/** Is a breaking change from release `released` announced by the package's `version` and the CHANGELOG? */
export function breakingChangeAnnounced(released: string, version: string, changelog: string): Announcement {
  if (!isBreakingBump(released, version)) {
    return {
      announced: false,
      reason: `package.json's version ${version} is not a breaking bump over the released ${released} (bump the ${parseVersion(released).major === 0 ? 'minor' : 'major'} version)`,
    };
  }
  const section = changelogSection(changelog, version) ?? changelogSection(changelog, 'Unreleased');
  if (!saysBreaking(section))
    return {
      announced: false,
      reason: `CHANGELOG.md's "${version}" (or "Unreleased") section has no line saying "Breaking"`,
    };
  return { announced: true };
}
