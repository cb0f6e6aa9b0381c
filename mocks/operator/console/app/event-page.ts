// An event and its webhook deliveries: every attempt's time, status, latency and error, and a Resend
// per endpoint (POST /v1/events/{id}/webhook_deliveries), which adds a new delivery and leaves the
// old ones as they were. Also the webhook endpoints page's form (register, disable, enable).
import type { components } from '../../../../generated/casapay.js';
import { ApiFailure, get, post } from './api.js';
import { h, message, pill, replace, time } from './dom.js';

type S = components['schemas'];

export async function renderEvent(main: HTMLElement, id: string, notice?: HTMLElement): Promise<void> {
  const path = `/v1/events/${encodeURIComponent(id)}`;
  const [event, deliveries, endpoints] = await Promise.all([
    get<S['Event']>(path),
    get<{ data: S['WebhookDelivery'][] }>(`${path}/webhook_deliveries`),
    get<{ data: S['WebhookEndpoint'][] }>('/v1/webhook_endpoints?limit=100'),
  ]);
  const feedback = h('div', { id: 'event-feedback' }, notice ?? null);
  const resend = async (endpoint: string) => {
    try {
      const delivery = await post<S['WebhookDelivery']>(`${path}/webhook_deliveries`, { webhook_endpoint: endpoint });
      await renderEvent(main, id, message('ok', `Resent to ${endpoint} as ${delivery.id}.`));
    } catch (error) {
      replace(feedback, message('error', error instanceof ApiFailure ? error.message : String(error)));
    }
  };
  replace(
    main,
    h('p', null, h('a', { href: '#/events' }, '← Events')),
    h('h2', null, h('code', null, event.type), ' ', h('span', { class: 'muted' }, event.id)),
    h(
      'p',
      { class: 'sub' },
      `${time(event.created)} · pending webhooks ${event.pending_webhooks} · object `,
      h('code', null, String((event.data.object as { id?: string }).id ?? '')),
    ),
    h(
      'p',
      null,
      h('button', { class: 'quiet', id: 'refresh-deliveries', onclick: () => void renderEvent(main, id) }, 'Refresh'),
    ),
    feedback,
    sendTo(
      endpoints.data.filter((e) => e.status === 'enabled'),
      resend,
    ),
    h('h3', null, `Deliveries (${deliveries.data.length})`),
    deliveries.data.length === 0
      ? h('p', { class: 'sub' }, 'No endpoint was subscribed to this event when it happened.')
      : null,
    deliveries.data.map((d) =>
      h(
        'section',
        { class: 'delivery', 'data-delivery': d.id, 'data-status': d.status },
        h(
          'p',
          null,
          h('code', null, d.id),
          ' → ',
          h('code', null, d.url),
          ' ',
          pill(d.status),
          d.next_attempt_at ? h('span', { class: 'muted' }, ` next attempt ${time(d.next_attempt_at)}`) : null,
          ' ',
          d.webhook_endpoint
            ? h(
                'button',
                {
                  class: 'resend',
                  'data-endpoint': d.webhook_endpoint,
                  onclick: () => void resend(d.webhook_endpoint!),
                },
                'Resend',
              )
            : h('span', { class: 'muted' }, '(--webhook-url: not resendable)'),
        ),
        h(
          'table',
          null,
          h(
            'tr',
            null,
            ['#', 'Attempted', 'Status', 'Latency', 'Error'].map((t) => h('th', null, t)),
          ),
          d.attempts.map((a, i) =>
            h(
              'tr',
              { class: 'attempt' },
              h('td', null, i + 1),
              h('td', null, time(a.attempted_at)),
              h('td', null, a.status_code ?? '—'),
              h('td', null, `${a.latency_ms} ms`),
              h('td', null, a.error ?? ''),
            ),
          ),
        ),
      ),
    ),
    h('h3', null, 'Payload'),
    h('pre', null, JSON.stringify(event, null, 2)),
  );
}

/** Send the event to any enabled endpoint, including one registered after the event happened. */
function sendTo(endpoints: S['WebhookEndpoint'][], send: (endpoint: string) => Promise<void>): HTMLElement | null {
  if (endpoints.length === 0) return null;
  const form = h(
    'form',
    { class: 'bar', id: 'send-to-form' },
    h(
      'label',
      null,
      'send to',
      h(
        'select',
        { name: 'endpoint' },
        endpoints.map((e) => h('option', { value: e.id }, `${e.id} · ${e.url}`)),
      ),
    ),
    h('button', { type: 'submit' }, 'Send'),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    void send(String(new FormData(form).get('endpoint')));
  });
  return form;
}

/** Register an endpoint, and switch one off or on (the receiver's own failures are the receiver's). */
export function endpointForm(refresh: (notice: HTMLElement) => void, notice?: HTMLElement): HTMLElement {
  // The list is re-rendered after a change, so the confirmation is handed to the next render.
  const feedback = h('div', { id: 'endpoint-feedback' }, notice ?? null);
  const form = h(
    'form',
    { class: 'bar', id: 'endpoint-form' },
    h(
      'label',
      null,
      'URL',
      h('input', { name: 'url', size: 40, placeholder: 'http://127.0.0.1:3000/webhooks', required: true }),
    ),
    h('label', null, 'events', h('input', { name: 'events', value: '*', size: 24 })),
    h('button', { type: 'submit' }, 'Register endpoint'),
  );
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const data = new FormData(form);
    try {
      const endpoint = await post<S['WebhookEndpoint']>('/v1/webhook_endpoints', {
        url: String(data.get('url')),
        enabled_events: String(data.get('events') || '*')
          .split(',')
          .map((e) => e.trim()),
      });
      refresh(message('ok', `Registered ${endpoint.id}; its signing secret (shown once): ${endpoint.secret}`));
    } catch (error) {
      replace(feedback, message('error', error instanceof ApiFailure ? error.message : String(error)));
    }
  });
  return h('div', null, form, feedback);
}

export function endpointActions(endpoint: Record<string, any>, refresh: () => void): HTMLElement {
  const disabled = endpoint.status === 'disabled';
  return h(
    'p',
    null,
    h(
      'button',
      {
        class: 'quiet',
        onclick: () => void post(`/v1/webhook_endpoints/${endpoint.id}`, { disabled: !disabled }).then(refresh),
      },
      disabled ? 'Enable' : 'Disable',
    ),
  );
}
