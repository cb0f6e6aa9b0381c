// --max-objects: how many stored API objects one account may hold, every API together (events are a
// window of their own, see --max-events). Each API counts its own (a sum of collection sizes: a dozen
// numbers, no scan); the pipeline checks the sum before an operation its API marks as creating runs;
// beyond it the create answers 400 resource_limit_reached in the API's own error shape and changes nothing.
import { errors } from '../errors.js';

/** Stored objects per account when the mock is shared and no --max-objects is given. */
export const DEFAULT_SHARED_MAX_OBJECTS = 100_000;

/** Throws 400 resource_limit_reached when the account already holds `max` objects (no limit when undefined). */
export function checkObjectLimit(stored: number, max: number | undefined): void {
  if (max === undefined || stored < max) return;
  throw errors.limitReached(
    'stored objects (every API together, events not counted)',
    max,
    'This one has that many, so nothing more can be created in it. The mock keeps objects in memory: reset the account (POST /__admin/reset) to start afresh; whoever runs the mock sets the limit with --max-objects.',
  );
}
