// The list pages: one table per resource, read through the API's own list operations, with the
// filters those operations declare in the contract (read from GET /openapi.json, not restated here)
// and cursor paging (`starting_after` / `ending_before`). The state of a list lives in the URL's hash,
// so a filtered page can be reloaded or shared.
import type { components } from '../../../../generated/casapay.js';
import { get, loadContract, query } from './api.js';
import { h, money, pill, replace, time, type Child } from './dom.js';

type S = components['schemas'];
type Row = Record<string, any> & { id: string };

export interface ResourceView {
  route: string;
  title: string;
  /** The list operation's path. */
  path: string;
  columns: Array<[label: string, cell: (row: Row) => Child]>;
  /** Where a row leads; default the generic object page. */
  link?: (row: Row) => string;
}

const CURSOR_PARAMS = new Set(['limit', 'starting_after', 'ending_before']);

export const RESOURCES: ResourceView[] = [
  {
    route: 'cases',
    title: 'Collection cases',
    path: '/v1/collection_cases',
    columns: [
      ['Reference', (c) => h('code', null, (c as S['CollectionCase']).reference)],
      ['Debtor', (c) => `${c.debtor?.name ?? ''} (${c.debtor?.country ?? ''})`],
      ['Status', (c) => pill(c.status)],
      ['Amount', (c) => money(c.amount_to_recover, c.currency)],
      ['Remainder', (c) => money(c.remainder, c.currency)],
      ['Created', (c) => time(c.created)],
    ],
    link: (c) => `#/cases/${c.id}`,
  },
  {
    route: 'policies',
    title: 'Guarantee policies',
    path: '/v1/guarantee_policies',
    columns: [
      ['Name', (p) => p.name],
      ['Coverage', (p) => `${p.coverage_percentage} % · ${p.max_coverage_months} months`],
      ['Active', (p) => String(p.active)],
      ['Created', (p) => time(p.created)],
    ],
  },
  {
    route: 'guarantees',
    title: 'Guarantees',
    path: '/v1/guarantees',
    columns: [
      ['Tenant', (g) => g.tenant],
      ['Status', (g) => pill(g.status)],
      ['Monthly rent covered', (g) => money(g.coverage_amount, g.currency)],
      ['Remaining', (g) => money(g.remaining_coverage, g.currency)],
      ['Ends', (g) => time(g.end_date)],
    ],
  },
  {
    route: 'claims',
    title: 'Claims',
    path: '/v1/claims',
    columns: [
      ['Guarantee', (c) => h('code', null, c.guarantee)],
      ['Status', (c) => pill(c.status)],
      ['Amount', (c) => money(c.amount, c.currency)],
      ['Reason', (c) => c.reason],
      ['Created', (c) => time(c.created)],
    ],
  },
  {
    route: 'payments',
    title: 'Debt payments',
    path: '/v1/debt_payments',
    columns: [
      ['Case', (p) => h('a', { href: `#/cases/${p.case}` }, p.case)],
      ['Amount', (p) => money(p.amount, p.currency)],
      ['Fee', (p) => money(p.fee_amount, p.currency)],
      ['Type', (p) => p.type],
      ['Created', (p) => time(p.created)],
    ],
  },
  {
    route: 'webhook-endpoints',
    title: 'Webhook endpoints',
    path: '/v1/webhook_endpoints',
    columns: [
      ['URL', (w) => h('code', null, w.url)],
      ['Status', (w) => pill(w.status)],
      ['Events', (w) => (w.enabled_events as string[]).join(', ')],
      ['Created', (w) => time(w.created)],
    ],
  },
  {
    route: 'events',
    title: 'Events',
    path: '/v1/events',
    columns: [
      ['Type', (e) => h('code', null, e.type)],
      ['Object', (e) => e.data?.object?.id ?? ''],
      ['Pending webhooks', (e) => e.pending_webhooks],
      ['Created', (e) => time(e.created)],
    ],
    link: (e) => `#/events/${e.id}`,
  },
  {
    route: 'test-clocks',
    title: 'Test clocks',
    path: '/v1/test_helpers/test_clocks',
    columns: [
      ['Name', (c) => c.name ?? ''],
      ['Frozen time', (c) => time(c.frozen_time)],
      ['Status', (c) => pill(c.status)],
    ],
    link: () => '#/clock',
  },
];

interface Filter {
  name: string;
  kind: 'enum' | 'boolean' | 'text' | 'created';
  options?: string[];
}

/** The list operation's query parameters, from the contract, minus the cursor ones. */
async function filtersOf(path: string): Promise<Filter[]> {
  const contract = await loadContract();
  const deref = (x: any): any =>
    x?.$ref
      ? deref(
          x.$ref
            .split('/')
            .slice(1)
            .reduce((at: any, k: string) => at?.[k], contract),
        )
      : x;
  const params = (contract.paths[path]?.get?.parameters ?? [])
    .map(deref)
    .filter((p: any) => p.in === 'query' && !CURSOR_PARAMS.has(p.name));
  return params.flatMap((p: any): Filter[] => {
    const schema = deref(p.schema);
    if (p.name === 'created') return [{ name: 'created', kind: 'created' }];
    if (schema.enum) return [{ name: p.name, kind: 'enum', options: schema.enum }];
    if (schema.type === 'boolean') return [{ name: p.name, kind: 'boolean', options: ['true', 'false'] }];
    if (schema.type === 'string') return [{ name: p.name, kind: 'text' }];
    return []; // arrays (types[]): `type` with its wildcard covers them in a form
  });
}

/** A day (UTC) as the start of that day, or — for the "to" end of a range — its last second, so "to" includes the day. */
const dateToSeconds = (value: string, endOfDay = false) =>
  value ? String(Math.floor(Date.parse(`${value}T00:00:00Z`) / 1000) + (endOfDay ? 86_399 : 0)) : '';
const secondsToDate = (value: string | null) =>
  value ? new Date(Number(value) * 1000).toISOString().slice(0, 10) : '';

/** Renders the list `view` with the hash's parameters into `main`. */
export async function renderList(
  main: HTMLElement,
  view: ResourceView,
  params: URLSearchParams,
  go: (hash: string) => void,
): Promise<void> {
  const filters = await filtersOf(view.path);
  const apiParams: Record<string, string> = { limit: '10' };
  for (const [k, v] of params) if (v) apiParams[k] = v;
  const page = await get<{ data: Row[]; has_more: boolean }>(`${view.path}${query(apiParams)}`);

  const form = h('form', { class: 'bar', 'data-filters': view.route });
  for (const f of filters) {
    if (f.kind === 'created') {
      form.append(
        h(
          'label',
          null,
          'created from',
          h('input', { type: 'date', name: 'created[gte]', value: secondsToDate(params.get('created[gte]')) }),
        ),
        h(
          'label',
          null,
          'to',
          h('input', { type: 'date', name: 'created[lte]', value: secondsToDate(params.get('created[lte]')) }),
        ),
      );
    } else if (f.options) {
      const select = h(
        'select',
        { name: f.name },
        h('option', { value: '' }, 'any'),
        f.options.map((o) => h('option', { value: o, selected: params.get(f.name) === o }, o)),
      );
      form.append(h('label', null, f.name, select));
    } else {
      form.append(h('label', null, f.name, h('input', { name: f.name, value: params.get(f.name) ?? '', size: 14 })));
    }
  }
  form.append(h('button', { type: 'submit' }, 'Filter'));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const next = new URLSearchParams();
    for (const [k, v] of new FormData(form)) {
      if (typeof v !== 'string' || !v) continue;
      next.set(k, k.startsWith('created[') ? dateToSeconds(v, k === 'created[lte]') : v);
    }
    go(`#/${view.route}${next.size ? `?${next}` : ''}`);
  });

  // Paging keeps the filters and swaps the cursor.
  const cursor = (name: 'starting_after' | 'ending_before', id: string) => {
    const next = new URLSearchParams(params);
    next.delete('starting_after');
    next.delete('ending_before');
    next.set(name, id);
    return `#/${view.route}?${next}`;
  };
  const first = page.data[0];
  const last = page.data[page.data.length - 1];
  const paged = params.has('starting_after') || params.has('ending_before');
  const canNext = last && (params.has('ending_before') || page.has_more);
  const canPrev = first && (params.has('starting_after') || (params.has('ending_before') && page.has_more));
  const link = view.link ?? ((row: Row) => `#/objects/${view.route}/${row.id}`);

  replace(
    main,
    h('h2', null, view.title),
    form,
    page.data.length === 0
      ? h('p', { class: 'sub' }, paged ? 'No more objects this way.' : 'Nothing here yet for this account and filter.')
      : h(
          'table',
          { 'data-list': view.route },
          h(
            'thead',
            null,
            h(
              'tr',
              null,
              h('th', null, 'Id'),
              view.columns.map(([label]) => h('th', null, label)),
            ),
          ),
          h(
            'tbody',
            null,
            page.data.map((row) =>
              h(
                'tr',
                { class: 'row', 'data-id': row.id, onclick: () => go(link(row)) },
                h('td', null, h('code', null, row.id)),
                view.columns.map(([, cell]) => h('td', null, cell(row))),
              ),
            ),
          ),
        ),
    h(
      'div',
      { class: 'pager' },
      h(
        'button',
        { class: 'quiet', disabled: !canPrev, onclick: () => first && go(cursor('ending_before', first.id)) },
        '← Newer',
      ),
      h(
        'button',
        {
          class: 'quiet',
          disabled: !canNext,
          'data-next': true,
          onclick: () => last && go(cursor('starting_after', last.id)),
        },
        'Older →',
      ),
    ),
  );
}

/** Any object by its list's path and id, as JSON (policies, guarantees, claims, payments, endpoints). */
export async function renderObject(
  main: HTMLElement,
  view: ResourceView,
  id: string,
  extra: (object: Row, refresh: () => void) => Child,
): Promise<void> {
  const object = await get<Row>(`${view.path}/${encodeURIComponent(id)}`);
  replace(
    main,
    h('p', null, h('a', { href: `#/${view.route}` }, `← ${view.title}`)),
    h(
      'h2',
      null,
      `${view.title.replace(/s$/, '')} `,
      h('code', null, object.id),
      ' ',
      object.status ? pill(object.status) : null,
    ),
    extra(object, () => void renderObject(main, view, id, extra)),
    h('pre', null, JSON.stringify(object, null, 2)),
  );
}
