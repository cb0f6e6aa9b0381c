// Fields left without a hold on purpose, each with why (or what will hold it): fields only an answer
// that no black-box request can provoke carries. provenance.test.ts fails when one of them gains a hold
// (delete its line then) and when a field without a hold is not listed here.
export const PROVENANCE_PENDING = new Map<string, string>([
  [
    'debitura-referral ClientConflict.conflictResponse.message',
    'none can: only a 409 ClientConflict carries it, and no black-box request provokes one (rule debitura.client-conflict, not checked)',
  ],
  [
    'debitura-referral ClientConflict.conflictResponse.type',
    'none can: only a 409 ClientConflict carries it, and no black-box request provokes one (rule debitura.client-conflict, not checked)',
  ],
]);
