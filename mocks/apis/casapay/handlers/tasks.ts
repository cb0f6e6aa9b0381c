// The runners of the tasks handlers schedule, by kind. A scheduled task is data (kind + params, see
// mocks/engine/scheduler/); this table is where a kind becomes behaviour. Scenario steps add their own kind
// (mocks/apis/casapay/scenarios/scenarios.ts), registered by the composition root.
import { TaskRunners } from '../../../engine/scheduler/scheduler.js';
import type { Effects } from './context.js';
import { runDemandLetter, runMagicStep } from './collection-cases.js';
import { runPayout, runReview } from './claims.js';
import { runActivation, runExpiry } from './guarantees.js';

/** A table with every handler task kind defined; the caller may define more (scenario steps). */
export function handlerTaskRunners(): TaskRunners<Effects> {
  return new TaskRunners<Effects>()
    .define('case.demand_letter', runDemandLetter)
    .define('case.magic', runMagicStep)
    .define('claim.payout', runPayout)
    .define('claim.review', runReview)
    .define('guarantee.activate', runActivation)
    .define('guarantee.expire', runExpiry);
}
