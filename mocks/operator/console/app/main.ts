// The console's entry: navigation, the chosen account, and a hash router (#/cases, #/cases/dc_…,
// #/events/evt_…, #/clock, …) so every page has an address and survives a reload. Each page reads
// what it shows when it opens; nothing is cached between pages but the contract and the lifecycle.
import { ApiFailure, getKey, setKey } from './api.js';
import { renderCase } from './case-page.js';
import { renderClock } from './clock-page.js';
import { h, message, replace } from './dom.js';
import { endpointActions, endpointForm, renderEvent } from './event-page.js';
import { renderList, renderObject, RESOURCES } from './lists.js';
import { claimActions, renderHome, renderJournal, renderScenarios } from './more-pages.js';

const nav = document.getElementById('nav')!;
const main = document.getElementById('main')!;
// The server rendered the front door's facts into the page: keep them for the home page.
const factsHtml = main.innerHTML;
const facts = JSON.parse(document.getElementById('facts')!.textContent ?? '{}');

const go = (hash: string) => {
  if (location.hash === hash) void route();
  else location.hash = hash;
};

function renderNav(current: string): void {
  const key = getKey();
  const link = (hash: string, label: string) =>
    h('a', { href: hash, class: current === hash.slice(2).split('/')[0] ? 'on' : null }, label);
  replace(
    nav,
    h('h1', null, facts.name ?? 'CasaPay mock'),
    h('p', { class: 'sub' }, `sandbox console · ${facts.version ?? ''}`),
    h(
      'div',
      { class: 'key' },
      h(
        'a',
        { href: '#/', id: 'current-key', class: current === '' ? 'on' : null },
        key ? `${key.slice(0, 12)}…${key.slice(-4)}` : 'Choose an account',
      ),
      key
        ? h(
            'a',
            {
              href: '#/',
              onclick: (event: Event) => {
                event.preventDefault();
                setKey(null);
                go('#/');
              },
            },
            'Forget key',
          )
        : null,
    ),
    h('div', { class: 'group' }, 'Collections'),
    link('#/cases', 'Cases'),
    link('#/payments', 'Debt payments'),
    h('div', { class: 'group' }, 'Guarantees'),
    link('#/policies', 'Policies'),
    link('#/guarantees', 'Guarantees'),
    link('#/claims', 'Claims'),
    h('div', { class: 'group' }, 'Developers'),
    link('#/events', 'Events'),
    link('#/webhook-endpoints', 'Webhook endpoints'),
    link('#/clock', 'Clock & test clocks'),
    link('#/scenarios', 'Scenarios'),
    link('#/journal', 'Request journal'),
  );
}

let generation = 0;
/** A confirmation for the next render of the endpoints page (it re-renders after a change). */
let endpointNotice: HTMLElement | undefined;

async function route(): Promise<void> {
  const mine = ++generation;
  const [pathPart = '', search = ''] = location.hash.replace(/^#\/?/, '').split('?');
  const [section = '', id, sub] = pathPart.split('/').map(decodeURIComponent);
  const params = new URLSearchParams(search);
  renderNav(section);
  try {
    if (section === '') return await renderHome(main, factsHtml, facts, () => go('#/cases'));
    if (section === 'scenarios') return renderScenarios(main, facts, () => renderNav(section));
    if (!getKey())
      return replace(
        main,
        h('h2', null, 'Choose an account first'),
        h('p', null, h('a', { href: '#/' }, 'Type an API key or pick an account.')),
      );
    if (section === 'journal') return renderJournal(main, () => generation === mine);
    if (section === 'clock') return await renderClock(main);
    if (section === 'cases' && id) return await renderCase(main, id);
    if (section === 'events' && id) return await renderEvent(main, id);
    if (section === 'objects' && id && sub) {
      const view = RESOURCES.find((r) => r.route === id);
      if (view)
        return await renderObject(main, view, sub, (object, refresh) =>
          id === 'claims'
            ? claimActions(object, refresh)
            : id === 'webhook-endpoints'
              ? endpointActions(object, refresh)
              : null,
        );
    }
    const view = RESOURCES.find((r) => r.route === section);
    if (!view) return replace(main, h('h2', null, 'Not a page'), h('p', null, h('a', { href: '#/' }, 'Home')));
    await renderList(main, view, params, go);
    if (section === 'webhook-endpoints') {
      const notice = endpointNotice;
      endpointNotice = undefined;
      main.insertBefore(
        endpointForm((note) => {
          endpointNotice = note;
          void route();
        }, notice),
        main.children[1] ?? null,
      );
    }
  } catch (error) {
    if (generation === mine)
      replace(
        main,
        h('h2', null, 'Could not load this page'),
        message('error', error instanceof ApiFailure ? error.message : String(error)),
      );
  }
}

window.addEventListener('hashchange', () => void route());
void route();
