// V8 settings the mock's process runs with, set before anything else is loaded (cli.ts imports this
// first). Allocation-site pretenuring: once V8 sees objects from one place in the code survive, it
// allocates the next ones from there straight in the old generation. A request's objects (its context,
// its closures) can get that verdict while stored cases are being created beside them, and from then on
// every request leaves them in the old generation, where they die and are only reclaimed by full
// collections, and each scavenge scans them. Measured (docs/benchmark.md, "GC"): GET retrieve promoted
// 1,115 bytes per request with it and 3 without; POST create 2,947 and 1,604; scavenge pause per
// request 6.0 → 0.9 µs on GET, 17.8 → 8.0 µs on POST.
import v8 from 'node:v8';

export const V8_FLAGS = ['--no-allocation-site-pretenuring'] as const;

for (const flag of V8_FLAGS) v8.setFlagsFromString(flag);
