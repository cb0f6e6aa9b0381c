// File names as both APIs keep them: safe to show and to put in a Content-Disposition header.
import path from 'node:path';

/**
 * Keeps a file name safe to show and to put in a header: the base name only, letters, digits, `.`, `-`, `_`.
 * @example sanitizeFilename('../../etc/pass wd.pdf') // 'pass_wd.pdf'
 */
export function sanitizeFilename(name: string): string {
  const base = path.posix.basename(name.replace(/\\/g, '/'));
  const clean = base
    .normalize('NFKD')
    .replace(/[^\w.-]+/g, '_')
    .replace(/^[._]+/, '')
    .slice(-120);
  return clean || 'file';
}
