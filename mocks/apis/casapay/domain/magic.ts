// Magic values, in the style of Stripe's test cards: a debtor name that contains one of these
// words scripts what happens to the case afterwards, on the case's clock. Documented in the README.
import type { CaseStatus, CloseCode } from './lifecycle.js';

const DAY = 86_400;

export interface MagicStep {
  /** Seconds after the case was created. */
  after: number;
  describe: string;
  payment?: number;
  move?: { status: CaseStatus; close_code?: CloseCode; comment?: string };
}

export const MAGIC = {
  paysInFull: /pays in full/i,
  paysPartially: /pays partially/i,
  untraceable: /untraceable/i,
  insolvent: /insolvent/i,
  needsDetails: /needs details/i,
  unsigned: /unsigned contract/i,
} as const;

/**
 * The scripted future of a case whose debtor name carries a magic word; empty for ordinary names.
 * @example magicPlan('Pays In Full GmbH', 360000) // [{ after: 3 days, payment: 360000, … }]
 */
export function magicPlan(debtorName: string, amount: number): MagicStep[] {
  if (MAGIC.paysInFull.test(debtorName)) return [{ after: 3 * DAY, describe: 'debtor pays in full', payment: amount }];
  if (MAGIC.paysPartially.test(debtorName)) {
    const half = Math.floor(amount / 2);
    const quarter = Math.floor(amount / 4);
    return [
      { after: 3 * DAY, describe: 'debtor pays half', payment: half },
      { after: 10 * DAY, describe: 'debtor pays a quarter', payment: quarter },
      {
        after: 30 * DAY,
        describe: 'collection ends partially paid',
        move: { status: 'closed', close_code: 'partially_paid' },
      },
    ];
  }
  if (MAGIC.untraceable.test(debtorName))
    return [
      {
        after: 14 * DAY,
        describe: 'debtor cannot be traced',
        move: { status: 'closed', close_code: 'debtor_untraceable' },
      },
    ];
  if (MAGIC.insolvent.test(debtorName))
    return [
      {
        after: 7 * DAY,
        describe: 'debtor is insolvent',
        move: { status: 'closed', close_code: 'debtor_insolvent_bankrupt' },
      },
    ];
  if (MAGIC.needsDetails.test(debtorName)) {
    return [
      {
        after: 2 * DAY,
        describe: 'partner asks for details',
        move: { status: 'needs_details', comment: 'Please upload the signed lease.' },
      },
    ];
  }
  return [];
}
