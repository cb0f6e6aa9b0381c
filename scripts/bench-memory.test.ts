// `npm run bench -- --memory N` at a tiny count: the bench runs scripts/bench-memory.mjs under
// `node --expose-gc`, which builds the mock in-process, fills one account with cases and another with
// cases and a webhook endpoint on a loopback receiver, and reports bytes per case and per delivery-log
// entry from the heap after a full GC. No figure is asserted (a few hundred cases are dominated by fixed
// costs): only that every count is explained — what a case holds, that every delivery arrived and was
// logged — and that the table is printed and the JSON written.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runBench } from './bench-run.js';
import type { MemoryReport } from './bench-report.js';

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-memory-test-'));
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

const bench = (args: string[]) => runBench(args);

describe('npm run bench -- --memory', () => {
  it('reports bytes per case and per delivery-log entry, with the events and deliveries each case made', async () => {
    const json = path.join(work, 'memory.json');
    const { code, out } = await bench(['--memory', '150', '--json', json]);
    expect(code, out).toBe(0);
    const { memory } = JSON.parse(fs.readFileSync(json, 'utf8')) as { memory: MemoryReport[] };
    expect(memory).toHaveLength(1);
    const [m] = memory as [MemoryReport];
    expect(m.cases).toBe(150);
    expect(m.fill.failed).toBe(0);
    expect(m.counts.plain).toMatchObject({ cases: 150, deliveries: 0 });
    expect(m.counts.hooked.cases).toBe(150);
    // A create emits events and writes its timeline; with an endpoint on `*` every event is delivered once.
    expect(m.perCase.events).toBeGreaterThanOrEqual(1);
    expect(m.perCase.timelineEntries).toBeGreaterThanOrEqual(1);
    expect(m.counts.plain.scheduledTasks).toBe(m.counts.hooked.scheduledTasks);
    expect(m.counts.hooked.deliveries).toBe(m.counts.hooked.events);
    expect(m.counts.received).toBe(m.counts.hooked.deliveries);
    expect(m.counts.deliveryStatuses).toEqual({ succeeded: m.counts.hooked.deliveries });
    // The heap grew with what was stored, and the reset gave it back to about where it started.
    expect(m.bytesPerCase).toBeGreaterThan(0);
    expect(m.bytesPerCaseWithDeliveries).toBeGreaterThan(0);
    expect(m.heapMb.withCases).toBeGreaterThan(m.heapMb.baseline);
    expect(out).toMatch(/bytes\/case\s+events\/case\s+timeline\/case\s+tasks\/case\s+bytes\/case with webhook/);
    expect(out).toMatch(/\n150\s+[\d,]+\s+\d/);
  }, 60_000);

  it('refuses a count it cannot read', async () => {
    const { code, out } = await bench(['--memory', 'many']);
    expect(code).toBe(2);
    expect(out).toMatch(/--memory: expected a count like 1k, 100k or 1m, got "many"/);
  }, 30_000);
});
