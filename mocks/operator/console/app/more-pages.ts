// The account picker (home), scenarios (POST /__admin/scenarios through the scenario runner), the
// live request journal (GET /__admin/journal, polled while the page is open) and claim decisions.
import { ApiFailure, get, getKey, post, query, setKey } from './api.js';
import { h, message, replace } from './dom.js';

type Facts = { scenarios: Array<{ name: string; description: string }>; docs_api_key: string };
type AccountRow = {
  key: string | null;
  masked_key: string;
  collection_cases: number;
  events: number;
  scheduled_tasks: number;
};

const KEY_SHAPE = /^sk_(test|live)_[A-Za-z0-9_]{1,200}$/;

export async function renderHome(main: HTMLElement, factsHtml: string, facts: Facts, onKey: () => void): Promise<void> {
  const accounts = await get<{ data: AccountRow[]; max_accounts: number | null }>('/__admin/accounts').catch(
    (error: Error) => ({ data: [] as AccountRow[], max_accounts: null, error }),
  );
  const feedback = h('div');
  const form = h(
    'form',
    { class: 'bar', id: 'key-form' },
    h(
      'label',
      null,
      'API key',
      h('input', { name: 'key', size: 44, value: getKey() ?? '', placeholder: facts.docs_api_key }),
    ),
    h('button', { type: 'submit' }, 'Use this key'),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const key = String(new FormData(form).get('key') ?? '').trim();
    if (!KEY_SHAPE.test(key))
      return replace(feedback, message('error', 'An API key looks like sk_test_… (letters, digits and underscores).'));
    setKey(key);
    onKey();
  });
  const facts_ = h('details', null, h('summary', null, 'About this mock'));
  facts_.insertAdjacentHTML('beforeend', factsHtml);
  replace(
    main,
    h('h2', null, 'Account'),
    h(
      'p',
      { class: 'sub' },
      'The console reads through the public /v1 API with this key, so it shows what your client sees. Any sk_test_… key opens its own account; the key is remembered in this browser.',
    ),
    form,
    feedback,
    h('h3', null, 'Accounts the mock holds'),
    accounts.data.length === 0
      ? h('p', { class: 'sub' }, 'None yet: the first request with a key opens its account.')
      : null,
    h(
      'table',
      { id: 'accounts' },
      accounts.data.map((a) =>
        h(
          'tr',
          null,
          h('td', null, h('code', null, a.masked_key)),
          h('td', null, `${a.collection_cases} cases · ${a.events} events · ${a.scheduled_tasks} scheduled`),
          h(
            'td',
            null,
            a.key
              ? h(
                  'button',
                  {
                    class: 'quiet',
                    'data-key': a.masked_key,
                    onclick: () => {
                      setKey(a.key);
                      onKey();
                    },
                  },
                  'Use',
                )
              : h('span', { class: 'muted' }, 'shared mock: type the key'),
          ),
        ),
      ),
    ),
    accounts.max_accounts
      ? h(
          'p',
          { class: 'muted' },
          `At most ${accounts.max_accounts} accounts are kept; the least recently used goes first.`,
        )
      : null,
    facts_,
  );
}

export function renderScenarios(main: HTMLElement, facts: Facts, onKey: () => void, notice?: HTMLElement): void {
  const feedback = h('div', { id: 'scenario-feedback' }, notice ?? null);
  const load = async (scenario: string, into: 'current' | 'new') => {
    try {
      const key = getKey();
      const result = await post<{ account: string; scenario: string }>(
        '/__admin/scenarios',
        into === 'current' && key ? { scenario, account: key } : { scenario },
      );
      if (into === 'new') setKey(result.account);
      onKey();
      renderScenarios(
        main,
        facts,
        onKey,
        message(
          'ok',
          `Loaded ${result.scenario} into ${into === 'new' ? `a new account, ${result.account} (now selected)` : 'this account'}.`,
        ),
      );
    } catch (error) {
      replace(feedback, message('error', error instanceof ApiFailure ? error.message : String(error)));
    }
  };
  replace(
    main,
    h('h2', null, 'Scenarios'),
    h(
      'p',
      { class: 'sub' },
      "Each scenario runs its steps through the API's own handlers; timed steps wait on its test clock or the mock's clock.",
    ),
    feedback,
    h(
      'table',
      null,
      facts.scenarios.map((s) =>
        h(
          'tr',
          { 'data-scenario': s.name },
          h('td', null, h('code', null, s.name)),
          h('td', null, s.description),
          h(
            'td',
            null,
            h(
              'button',
              { class: 'quiet', disabled: !getKey(), onclick: () => void load(s.name, 'current') },
              'Load here',
            ),
            ' ',
            h('button', { class: 'quiet', onclick: () => void load(s.name, 'new') }, 'New account'),
          ),
        ),
      ),
    ),
  );
}

type Entry = {
  id: string;
  at: string;
  method: string;
  url: string;
  status: number | null;
  duration_ms: number;
  request: { headers: Record<string, unknown>; body: unknown };
  response: { body: unknown };
};

/** Polls the journal once a second while `alive()`; entries open to their bodies. */
export function renderJournal(main: HTMLElement, alive: () => boolean): void {
  const key = getKey();
  const list = h('div', { id: 'journal' });
  let paused = false;
  const status = h('span', { class: 'muted' });
  replace(
    main,
    h('h2', null, 'Request journal'),
    h(
      'p',
      { class: 'sub' },
      "What this account's clients sent and what the mock answered, newest first, live (keys and secrets masked).",
    ),
    h(
      'p',
      null,
      h(
        'button',
        {
          class: 'quiet',
          onclick: (e: Event) => {
            paused = !paused;
            (e.target as HTMLElement).textContent = paused ? 'Resume' : 'Pause';
          },
        },
        'Pause',
      ),
      ' ',
      status,
    ),
    list,
  );
  const open = new Set<string>();
  const poll = async () => {
    if (!alive()) return;
    if (!paused) {
      try {
        const { data } = await get<{ data: Entry[] }>(
          `/__admin/journal${query({ account: key ?? undefined, limit: 50 })}`,
        );
        replace(
          list,
          data.length === 0 ? h('p', { class: 'sub' }, 'No requests yet.') : null,
          data.map((e) => {
            const d = h(
              'details',
              { 'data-entry': e.id, open: open.has(e.id) },
              h(
                'summary',
                null,
                h('code', null, `${e.method} ${e.url}`),
                ` → ${e.status ?? 'no answer'} · ${e.duration_ms} ms · ${e.at}`,
              ),
              h('p', { class: 'muted' }, 'Request'),
              h('pre', null, JSON.stringify({ headers: e.request.headers, body: e.request.body }, null, 2)),
              h('p', { class: 'muted' }, 'Response'),
              h('pre', { class: 'response' }, JSON.stringify(e.response.body, null, 2)),
            );
            d.addEventListener('toggle', () => (d.open ? open.add(e.id) : open.delete(e.id)));
            return d;
          }),
        );
        status.textContent = `updated ${new Date().toISOString().slice(11, 19)}`;
      } catch (error) {
        replace(list, message('error', error instanceof ApiFailure ? error.message : String(error)));
      }
    }
    setTimeout(() => void poll(), 1000);
  };
  void poll();
}

export function claimActions(claim: Record<string, any>, refresh: () => void): HTMLElement {
  const feedback = h('div', { id: 'claim-feedback' });
  const act = (verb: 'approve' | 'deny' | 'pay') =>
    post(`/v1/test_helpers/claims/${claim.id}/${verb}`).then(refresh, (error: Error) =>
      replace(feedback, message('error', error.message)),
    );
  return h(
    'div',
    null,
    h(
      'div',
      { class: 'bar' },
      h('button', { onclick: () => void act('approve') }, 'Approve'),
      h('button', { class: 'quiet', onclick: () => void act('deny') }, 'Deny'),
      h('button', { onclick: () => void act('pay') }, 'Pay'),
    ),
    feedback,
  );
}
