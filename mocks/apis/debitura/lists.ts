// Debitura's page-numbered lists (`Page`, `PageSize`, `Statuses`, `Sort`) and its file rules, shared
// by both APIs.
import path from 'node:path';
import { errors } from '../../engine/errors.js';
import { sanitizeFilename } from '../common/file-names.js';
import type { Case, Lifecycle } from './state.js';

export const LIFECYCLES: readonly Lifecycle[] = [
  'PendingContractSigning',
  'PendingVerificationInternal',
  'PendingVerification',
  'NeedsAdditionalDetails',
  'Leads',
  'LeadsQuoteGiven',
  'Active',
  'Paused',
  'Closed',
  'Merged',
];
/** The descriptions Debitura also accepts for a status (case-insensitive). */
const DESCRIPTIONS: Record<string, Lifecycle> = {
  'pending contract signing': 'PendingContractSigning',
  'pending verification internal': 'PendingVerificationInternal',
  'pending verification': 'PendingVerification',
  'needs additional details': 'NeedsAdditionalDetails',
  'leads quote given': 'LeadsQuoteGiven',
};

/** Lists arrive as repeated keys (`Statuses=A&Statuses=B`) or comma-separated (`Statuses=A,B`). */
export const listParam = (value: unknown): string[] =>
  (Array.isArray(value) ? value : value === undefined ? [] : [value])
    .flatMap((v) => String(v).split(','))
    .map((v) => v.trim())
    .filter(Boolean);

/**
 * `Statuses` as a filter on cases: lifecycles, case-insensitive, names or descriptions (every case
 * when none is given); 400 naming the unknown one.
 */
export function statusFilter(value: unknown): (c: Case) => boolean {
  const wanted = listParam(value);
  if (!wanted.length) return () => true;
  const statuses = new Set<string>(
    wanted.map((w) => {
      const found = LIFECYCLES.find((l) => l.toLowerCase() === w.toLowerCase()) ?? DESCRIPTIONS[w.toLowerCase()];
      if (!found) throw errors.parameterInvalid('Statuses', `'${w}' is not a lifecycle; use ${LIFECYCLES.join(', ')}.`);
      return found;
    }),
  );
  return (c) => statuses.has(c.lifecycle ?? '');
}

const SORTABLE: Record<string, (c: Case) => string | number | null | undefined> = {
  datecreated: (c) => c.dateCreated,
  dateupdated: (c) => c.dateUpdated,
  datefinished: (c) => c.dateFinished,
  datecollectionstarted: (c) => c.dateCollectionStarted,
  duedate: (c) => c.dueDate,
  date: (c) => c.date,
  grossamount: (c) => c.grossAmount,
  remainder: (c) => c.remainder,
  interestfees: (c) => c.interestFees,
  collectionfees: (c) => c.collectionFees,
  reminderfees: (c) => c.reminderFees,
  lifecycle: (c) => c.lifecycle,
  closecode: (c) => c.closeCode,
};

/**
 * Orders cases by `Sort` ("Field[:asc|desc][,Field2…]"; unknown fields are ignored, as Debitura does);
 * newest first by default. `items` arrive oldest first.
 */
export function sortCases<T>(items: T[], sort: string | undefined, caseOf: (item: T) => Case): T[] {
  const keys = (sort ?? '')
    .split(',')
    .map((part) => part.trim().split(':'))
    .filter(([field]) => field && SORTABLE[field.toLowerCase()]);
  if (!keys.length) return items.reverse();
  return items.sort((a, b) => {
    for (const [field, direction] of keys) {
      const read = SORTABLE[field!.toLowerCase()]!;
      const x = read(caseOf(a)) ?? '';
      const y = read(caseOf(b)) ?? '';
      if (x !== y) return (x < y ? -1 : 1) * (direction?.toLowerCase() === 'desc' ? -1 : 1);
    }
    return 0;
  });
}

/** One page and its `PageData`. `Page` starts at 1; `PageSize` defaults to 10, at most 100. */
export function pageOf<T>(items: readonly T[], query: Record<string, unknown>) {
  const pageSize = (query.PageSize as number | undefined) ?? 10;
  const currentPage = (query.Page as number | undefined) ?? 1;
  if (!Number.isInteger(currentPage) || currentPage < 1)
    throw errors.parameterInvalid('Page', 'must be a whole number of at least 1.');
  if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > 100)
    throw errors.parameterInvalid('PageSize', 'must be a whole number from 1 to 100.');
  const slice = items.slice((currentPage - 1) * pageSize, currentPage * pageSize);
  return {
    items: slice,
    page: {
      totalResults: items.length,
      pageSize,
      currentPage,
      responseCount: slice.length,
      totalPages: Math.ceil(items.length / pageSize),
    },
  };
}

/** The Referral API's allow-list (the docs page); the Customer API's, as its published contract says. */
export const REFERRAL_EXTENSIONS = [
  '.pdf',
  '.doc',
  '.docx',
  '.xls',
  '.xlsx',
  '.csv',
  '.txt',
  '.jpg',
  '.jpeg',
  '.png',
] as const;
export const CUSTOMER_EXTENSIONS = ['.pdf', '.xls', '.xlsx', '.csv', '.txt', '.jpg', '.jpeg', '.png', '.gif'] as const;

/** A safe file name with an allowed extension, or 415 (the size bound, 413, is the pipeline's). */
export function checkedFileName(filename: string, allowed: readonly string[]): string {
  const name = sanitizeFilename(filename);
  const extension = path.extname(name).toLowerCase();
  if (!allowed.includes(extension)) throw errors.fileType(extension, allowed);
  return name;
}
