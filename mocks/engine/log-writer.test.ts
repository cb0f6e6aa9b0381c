import { execFileSync } from 'node:child_process';
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

/** A FIFO with a reader that reads only when told: both ends non-blocking, so a full pipe answers EAGAIN. */
function stalledPipe() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'log-writer-fifo-'));
  const fifo = path.join(dir, 'pipe');
  execFileSync('mkfifo', [fifo]);
  const reader = fs.openSync(fifo, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
  const writer = fs.openSync(fifo, fs.constants.O_WRONLY | fs.constants.O_NONBLOCK);
  const chunks: Buffer[] = [];
  const drain = () => {
    const buffer = Buffer.alloc(65536);
    for (;;) {
      try {
        const n = fs.readSync(reader, buffer);
        if (n === 0) return;
        chunks.push(Buffer.from(buffer.subarray(0, n)));
      } catch {
        return; // EAGAIN: nothing more for now
      }
    }
  };
  return {
    fd: writer,
    drain,
    text: () => Buffer.concat(chunks).toString('utf8'),
    closeReader: () => fs.closeSync(reader),
    close: () => {
      fs.closeSync(writer);
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

it('a reader that stops reading: the queue stays within its bound, later lines are dropped and counted, one line reports them once it reads again', () => {
  const pipe = stalledPipe();
  try {
    const out = createLineWriter({ fd: pipe.fd, highWaterMark: 1024, maxDelayMs: 60_000, maxQueuedBytes: 32 * 1024 });
    const total = 20_000;
    for (let i = 0; i < total; i++) out.line(`GET /v1/collection_cases/dc_${i} → 200 0.3ms req_${i}`);
    // The pipe holds 64 KB; the writer at most 32 KB more; the rest was dropped and counted.
    expect(out.queued).toBeLessThanOrEqual(32 * 1024);
    expect(out.dropped).toBeGreaterThan(total / 2);
    const dropped = out.dropped;
    // The reader comes back: everything kept arrives in order, then one line says how many were lost.
    for (let round = 0; round < 100 && (out.queued > 0 || out.dropped > 0); round++) {
      pipe.drain();
      out.flushSync();
    }
    pipe.drain();
    const lines = pipe.text().trimEnd().split('\n');
    expect(lines.at(-1)).toBe(
      `casapay-mock: ${dropped} log lines dropped (the log output was not keeping up or failed)`,
    );
    const kept = lines.slice(0, -1).map((line) => Number(/dc_(\d+)/.exec(line)![1]));
    expect(kept).toEqual(kept.map((_, i) => i)); // the first lines, in order, none torn
    expect(kept.length + dropped).toBe(total);
    out.close();
  } finally {
    pipe.close();
  }
});

it('a reader that has gone (EPIPE) or a full device (/dev/full, ENOSPC): lines are dropped, nothing throws', () => {
  const pipe = stalledPipe();
  try {
    pipe.closeReader();
    const out = createLineWriter({ fd: pipe.fd, highWaterMark: 64, maxDelayMs: 60_000 });
    for (let i = 0; i < 100; i++) out.line(`line ${i}`);
    expect(() => out.close()).not.toThrow();
    expect(out.dropped).toBe(100);
    expect(out.queued).toBe(0);
  } finally {
    pipe.close();
  }
  const full = fs.openSync('/dev/full', 'w');
  try {
    const out = createLineWriter({ fd: full, maxDelayMs: 60_000 });
    out.line('one');
    out.write('{"level":30}\n');
    expect(() => out.close()).not.toThrow();
    expect(out.dropped).toBe(2);
  } finally {
    fs.closeSync(full);
  }
});
