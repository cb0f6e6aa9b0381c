// A collection case: its fields, its status with the moves its lifecycle allows next (the table comes
// from GET /__admin/lifecycle, i.e. mocks/apis/casapay/domain/lifecycle.ts — not restated here), its timeline,
// files (downloaded with the key) and payments, and the test helpers that drive it. A refused move
// or payment shows the API's own error message; nothing is checked in the browser first, so what the
// console allows is exactly what the API allows.
import type { components } from '../../../../generated/casapay.js';
import { ApiFailure, download, get, loadContract, post, query } from './api.js';
import { h, message, money, pill, replace, time } from './dom.js';

type S = components['schemas'];
type List<T> = { data: T[]; has_more: boolean };
type Lifecycle = { collection_case: { moves: Record<string, string[]>; system_close_codes: string[] } };

let lifecycle: Promise<Lifecycle> | undefined;

export async function renderCase(main: HTMLElement, id: string, notice?: HTMLElement): Promise<void> {
  const path = `/v1/collection_cases/${encodeURIComponent(id)}`;
  const [c, timeline, files, payments, rules, contract] = await Promise.all([
    get<S['CollectionCase']>(path),
    get<List<S['TimelineEntry']>>(`${path}/timeline`),
    get<List<S['CaseFile']>>(`${path}/files${query({ limit: 100 })}`),
    get<List<S['DebtPayment']>>(`/v1/debt_payments${query({ case: id, limit: 100 })}`),
    (lifecycle ??= get<Lifecycle>('/__admin/lifecycle')),
    loadContract(),
  ]);
  const refresh = (note?: HTMLElement) => renderCase(main, id, note);
  const feedback = h('div', { id: 'case-feedback' }, notice ?? null);
  const run = async (what: () => Promise<unknown>, done: string) => {
    try {
      await what();
      await refresh(message('ok', done));
    } catch (error) {
      replace(feedback, message('error', error instanceof ApiFailure ? error.message : String(error)));
    }
  };

  const moves = rules.collection_case.moves[c.status] ?? [];
  const closeCodes = ((contract.components.schemas.CloseCode?.enum ?? []) as string[]).filter(
    (code) => !rules.collection_case.system_close_codes.includes(code),
  );
  const moveForm = h(
    'form',
    { class: 'bar', id: 'move-form' },
    h(
      'label',
      null,
      'move to',
      h(
        'select',
        { name: 'status' },
        moves.map((m) => h('option', { value: m }, m)),
      ),
    ),
    h(
      'label',
      null,
      'close code',
      h(
        'select',
        { name: 'close_code' },
        h('option', { value: '' }, '—'),
        closeCodes.map((code) => h('option', { value: code }, code)),
      ),
    ),
    h('label', null, 'comment', h('input', { name: 'comment', size: 20 })),
    h('button', { type: 'submit', disabled: moves.length === 0 }, 'Move'),
  );
  moveForm.addEventListener('submit', (event) => {
    event.preventDefault();
    const form = new FormData(moveForm);
    const body: Record<string, string> = { status: String(form.get('status') ?? '') };
    if (form.get('close_code')) body.close_code = String(form.get('close_code'));
    if (form.get('comment')) body.comment = String(form.get('comment'));
    void run(() => post(`/v1/test_helpers/collection_cases/${c.id}/advance`, body), `Moved to ${body.status}.`);
  });

  const paymentForm = h(
    'form',
    { class: 'bar', id: 'payment-form' },
    h(
      'label',
      null,
      `amount (${c.currency.toUpperCase()}, minor units)`,
      h('input', { name: 'amount', type: 'number', min: 1, step: 1, required: true, size: 10 }),
    ),
    h('button', { type: 'submit' }, 'Record payment'),
  );
  paymentForm.addEventListener('submit', (event) => {
    event.preventDefault();
    const amount = Number(new FormData(paymentForm).get('amount'));
    void run(
      () => post(`/v1/test_helpers/collection_cases/${c.id}/debt_payments`, { amount }),
      `Payment of ${money(amount, c.currency)} recorded.`,
    );
  });

  const field = (label: string, value: unknown) =>
    h('div', null, h('b', null, label), value instanceof Node ? value : String(value ?? '—'));
  replace(
    main,
    h('p', null, h('a', { href: '#/cases' }, '← Collection cases')),
    h(
      'h2',
      null,
      'Case ',
      h('code', null, c.reference),
      ' ',
      pill(c.status),
      c.close_code ? h('span', { class: 'muted' }, ` ${c.close_code}`) : null,
    ),
    h(
      'div',
      { class: 'grid', id: 'case-fields' },
      field('Id', c.id),
      field('Debtor', c.debtor ? `${c.debtor.name} · ${c.debtor.type} · ${c.debtor.country}` : '—'),
      field('Amount to recover', money(c.amount_to_recover, c.currency)),
      h('div', null, h('b', null, 'Remainder'), h('span', { id: 'case-remainder' }, money(c.remainder, c.currency))),
      field('Success fee', `${c.success_fee_pct} %`),
      field('Partner', c.collection_partner?.name ?? '—'),
      field('Due date', time(c.due_date).slice(0, 10)),
      field('Created', time(c.created)),
      field('Test clock', c.test_clock ?? "the mock's clock"),
      field('Creditor reference', c.creditor_reference ?? '—'),
    ),
    feedback,
    h('h3', null, 'Test helpers'),
    h(
      'p',
      { class: 'muted' },
      moves.length
        ? `Allowed next: ${moves.join(', ')} (from the lifecycle rules).`
        : 'A closed case has no next move.',
    ),
    moveForm,
    paymentForm,
    h('h3', null, 'Timeline'),
    h(
      'ol',
      { class: 'timeline', id: 'case-timeline' },
      timeline.data.map((e) =>
        h(
          'li',
          { 'data-type': e.type },
          h('b', null, e.title),
          ' ',
          h('span', { class: 'muted' }, `${time(e.date)} · ${e.type}`),
          h('br'),
          e.description,
        ),
      ),
    ),
    h('h3', null, `Payments (${payments.data.length})`),
    payments.data.length
      ? h(
          'table',
          { id: 'case-payments' },
          h(
            'tr',
            null,
            ['Id', 'Amount', 'Fee', 'Net', 'Type', 'Paid'].map((t) => h('th', null, t)),
          ),
          payments.data.map((p) =>
            h(
              'tr',
              null,
              h('td', null, h('code', null, p.id)),
              h('td', null, money(p.amount, p.currency)),
              h('td', null, money(p.fee_amount, p.currency)),
              h('td', null, money(p.net_amount, p.currency)),
              h('td', null, p.type),
              h('td', null, time(p.payment_date)),
            ),
          ),
        )
      : h('p', { class: 'sub' }, 'No payments yet.'),
    h('h3', null, `Files (${files.data.length})`),
    files.data.length
      ? h(
          'table',
          null,
          files.data.map((f) =>
            h(
              'tr',
              null,
              h('td', null, f.filename),
              h('td', null, f.document_type),
              h('td', null, `${f.size} bytes`),
              h(
                'td',
                null,
                h(
                  'button',
                  {
                    class: 'quiet',
                    onclick: () =>
                      void download(`${path}/files/${f.id}/contents`, f.filename).catch((e: Error) =>
                        replace(feedback, message('error', e.message)),
                      ),
                  },
                  'Download',
                ),
              ),
            ),
          ),
        )
      : h('p', { class: 'sub' }, 'No files.'),
  );
}
