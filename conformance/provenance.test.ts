// The provenance table stays whole: PROVENANCE.md is current, every response field of the three
// contracts is held by some rule (or listed as pending, with who will hold it), a `shape` hold says why
// nothing stronger, and a hold names a field the contracts have. The enumerator itself is tested on a
// small document.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { contractFields, fieldsOfDocument, holdMatches, provenance, renderProvenanceMarkdown } from './provenance.js';
import { PROVENANCE_PENDING } from './provenance-pending.js';
import { RULES } from './rules.js';

const here = path.dirname(fileURLToPath(import.meta.url));

describe('the field enumerator', () => {
  const document = {
    paths: {
      '/things/{id}': {
        get: {
          operationId: 'getThing',
          responses: {
            '200': { content: { 'application/json': { schema: { $ref: '#/components/schemas/Thing' } } } },
            '404': { $ref: '#/components/responses/NotFound' },
          },
        },
      },
    },
    webhooks: {
      'thing.created': {
        post: {
          requestBody: {
            content: {
              'application/json': {
                schema: {
                  allOf: [
                    { $ref: '#/components/schemas/Event' },
                    { type: 'object', properties: { type: { const: 'thing.created' } } },
                  ],
                },
              },
            },
          },
        },
      },
    },
    components: {
      responses: {
        NotFound: { content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } },
      },
      schemas: {
        Thing: {
          type: 'object',
          properties: {
            id: { type: 'string' },
            status: { $ref: '#/components/schemas/Status' },
            owner: { oneOf: [{ $ref: '#/components/schemas/Owner' }, { type: 'null' }] },
            parts: { type: 'array', items: { type: 'object', properties: { amount: { type: 'number' } } } },
            tags: { type: 'array', items: { type: 'string' } },
            meta: { type: 'object', additionalProperties: true },
            detail: { type: 'object', properties: { note: { type: ['string', 'null'] } } },
          },
        },
        Status: { type: 'string', enum: ['a', 'b'] },
        Owner: {
          type: 'object',
          properties: { name: { type: 'string' }, thing: { $ref: '#/components/schemas/Thing' } },
        },
        Error: { type: 'object', properties: { message: { type: 'string' } } },
        Event: { type: 'object', properties: { id: { type: 'string' }, data: { $ref: '#/components/schemas/Thing' } } },
      },
    },
  };
  const fields = fieldsOfDocument('casapay', document);
  const byName = new Map(fields.map((f) => [f.field.replace(/^casapay /, ''), f]));

  it('names each field after the component that declares it, arrays as [], inline schemas after where they sit', () => {
    expect([...byName.keys()].sort()).toEqual(
      [
        'Error.message',
        'Event.id',
        'Owner.name',
        'Thing.detail.note',
        'Thing.id',
        'Thing.meta',
        'Thing.parts[].amount',
        'Thing.status',
        'Thing.tags',
        'webhook[thing.created].type',
      ].sort(),
    );
  });

  it('says where each field is answered, through references and cycles', () => {
    expect(byName.get('Thing.id')!.seenIn).toEqual(['getThing 200', 'webhook thing.created']);
    expect(byName.get('Owner.name')!.seenIn).toEqual(['getThing 200', 'webhook thing.created']);
    expect(byName.get('Error.message')!.seenIn).toEqual(['getThing 404']);
  });

  it('matches holds exactly, or with * for any run of characters', () => {
    expect(holdMatches('casapay Thing.id', 'casapay Thing.id')).toBe(true);
    expect(holdMatches('casapay Thing.id', 'casapay Thing.ids')).toBe(false);
    expect(holdMatches('casapay Thing.*', 'casapay Thing.parts[].amount')).toBe(true);
    expect(holdMatches('casapay Thing.*', 'casapay ThingList.url')).toBe(false);
    expect(holdMatches('casapay webhook[*].type', 'casapay webhook[a.b].type')).toBe(true);
  });
});

describe('the provenance table', () => {
  const rows = provenance();

  it('PROVENANCE.md is current (npm run rules)', () => {
    expect(readFileSync(path.join(here, 'PROVENANCE.md'), 'utf8')).toBe(renderProvenanceMarkdown(rows));
  });

  it('covers the three contracts', () => {
    for (const api of ['casapay', 'debitura-customer', 'debitura-referral'] as const)
      expect(contractFields(api).length, api).toBeGreaterThan(100);
  });

  it('every field has a hold (or is listed as pending, with who will hold it)', () => {
    const unheld = rows.filter((r) => r.strongest === null && !r.pending).map((r) => r.field.field);
    expect(unheld, 'fields no rule holds: add `holds` to the rule whose checks compare them').toEqual([]);
  });

  it('a pending field has no hold yet and exists (delete its line from provenance-pending.ts once held)', () => {
    const fields = new Set(contractFields().map((f) => f.field));
    const stale = [...PROVENANCE_PENDING.keys()].filter(
      (f) => !fields.has(f) || rows.some((r) => r.field.field === f && r.strongest !== null),
    );
    expect(stale, 'pending entries that are held now or name no field').toEqual([]);
  });

  it('CasaPay has no pending field', () => {
    expect([...PROVENANCE_PENDING.keys()].filter((f) => f.startsWith('casapay '))).toEqual([]);
  });

  it('a shape hold says why nothing stronger holds the field', () => {
    const bare = RULES.flatMap((r) =>
      (r.holds ?? []).filter((h) => h.from === 'shape' && !h.reason?.trim()).map((h) => `${r.id}: ${h.field}`),
    );
    expect(bare).toEqual([]);
  });

  it('a hold names a field the contracts have', () => {
    const fields = contractFields().map((f) => f.field);
    const unknown = RULES.flatMap((r) =>
      (r.holds ?? []).filter((h) => !fields.some((f) => holdMatches(h.field, f))).map((h) => `${r.id}: ${h.field}`),
    );
    expect(unknown, 'holds naming no field of the contracts').toEqual([]);
  });

  it('a hold belongs to a rule that is checked', () => {
    expect(RULES.filter((r) => r.holds?.length && r.notChecked).map((r) => r.id)).toEqual([]);
  });
});
