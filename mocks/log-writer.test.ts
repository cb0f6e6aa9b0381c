import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { createLineWriter } from './log-writer.js';

const files: string[] = [];
afterEach(() => {
  for (const file of files.splice(0)) fs.rmSync(file, { force: true });
});

function tempFd() {
  const file = path.join(os.tmpdir(), `log-writer-${process.pid}-${files.length}.log`);
  files.push(file);
  return { file, fd: fs.openSync(file, 'w') };
}

it.each([
  ['a few lines, written on close', 3, 16 * 1024],
  ['more than the high-water mark, written in batches as they fill', 5000, 1024],
])('%s: every line, in order', (_name, count, highWaterMark) => {
  const { file, fd } = tempFd();
  // A long delay, so only the high-water mark and close() write.
  const out = createLineWriter({ fd, highWaterMark, maxDelayMs: 60_000 });
  const lines = Array.from({ length: count }, (_, i) => `GET /v1/collection_cases/dc_${i} → 200 0.3ms req_${i} ü`);
  for (const line of lines) out.line(line);
  if (count > 1000) expect(fs.readFileSync(file, 'utf8').length).toBeGreaterThan(0);
  out.close();
  fs.closeSync(fd);
  expect(fs.readFileSync(file, 'utf8')).toBe(lines.map((l) => `${l}\n`).join(''));
});

it('takes pino-style chunks that end with their newline', () => {
  const { file, fd } = tempFd();
  const out = createLineWriter({ fd });
  out.write('{"level":30}\n');
  out.line('plain');
  out.close();
  fs.closeSync(fd);
  expect(fs.readFileSync(file, 'utf8')).toBe('{"level":30}\nplain\n');
});
