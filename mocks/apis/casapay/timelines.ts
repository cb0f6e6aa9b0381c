// A case's timeline as an account keeps it. Most cases never get a second entry (an API-created case
// that nothing moves), so until one comes the account keeps the case as it was created in place of
// the timeline, and the entry its creation wrote is read from it: no entry, array or text of its own
// per case (≈150 bytes each). A second entry makes the list, at its exact length; a list is never
// edited in place (a new one is stored), so a durable store is told by the write, not by a read.
import type { CollectionCase, TimelineEntry } from './state.js';

/** A case's timeline: its entries, or the case as created while the entry its creation wrote is the only one. */
export type StoredTimeline = TimelineEntry[] | CollectionCase;

/**
 * The entry a case's creation writes, from the case as created.
 * @example creationEntry(kase).title // 'Case submitted'
 */
export function creationEntry(created: CollectionCase): TimelineEntry {
  const partner = created.collection_partner?.name;
  return {
    date: created.created,
    type: 'case_created',
    title: 'Case submitted',
    description:
      created.status === 'active'
        ? `Collection case created and assigned to ${partner}`
        : `Collection case created; waiting for a contract signature before ${partner} starts`,
  };
}

/** The entries of a stored timeline (the creation's entry read from the case while it is the only one). */
export const timelineEntries = (stored: StoredTimeline | undefined): TimelineEntry[] | undefined =>
  stored === undefined ? undefined : Array.isArray(stored) ? stored : [creationEntry(stored)];

/**
 * A case's timeline (undefined for an id without one).
 * @example timelineOf(account.timelines, kase.id)?.map((e) => e.type) // ['case_created']
 */
export const timelineOf = (
  timelines: ReadonlyMap<string, StoredTimeline>,
  caseId: string,
): TimelineEntry[] | undefined => timelineEntries(timelines.get(caseId));

/** The timeline with `entry` added: a new list, the stored one left as it was. */
export function withEntry(stored: StoredTimeline | undefined, entry: TimelineEntry): TimelineEntry[] {
  const entries = timelineEntries(stored);
  return entries ? entries.concat([entry]) : [entry];
}
