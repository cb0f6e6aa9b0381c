// A few DOM helpers instead of a UI framework: the console is a handful of forms and tables that are
// re-rendered whole when their data changes, which h() and replace() do in a few lines.

export type Child = Node | string | number | null | undefined | false | Child[];
type Attrs = Record<string, string | number | boolean | null | undefined | ((event: any) => void)>;

/**
 * @example h('button', { onclick: () => go('#/cases') }, 'Cases')
 */
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Attrs | null = null,
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs ?? {})) {
    if (value === null || value === undefined || value === false) continue;
    if (typeof value === 'function') el.addEventListener(name.replace(/^on/, ''), value);
    else if (value === true) el.setAttribute(name, '');
    else el.setAttribute(name, String(value));
  }
  append(el, children);
  return el;
}

function append(el: Node, children: Child[]): void {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    if (Array.isArray(child)) append(el, child);
    else
      el.appendChild(
        typeof child === 'string' || typeof child === 'number' ? document.createTextNode(String(child)) : child,
      );
  }
}

/** Replaces an element's content. */
export function replace(el: Element, ...children: Child[]): void {
  el.replaceChildren();
  append(el, children);
}

/** Unix seconds as `2026-11-25 00:00:00 UTC` (the mock's times are UTC). */
export function time(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined) return '—';
  return new Date(seconds * 1000)
    .toISOString()
    .replace('T', ' ')
    .replace(/\.\d+Z$/, ' UTC');
}

/** Minor units as `3,600.00 EUR`. */
export function money(amount: number | null | undefined, currency: string | null | undefined): string {
  if (amount === null || amount === undefined) return '—';
  return `${(amount / 100).toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })} ${(currency ?? '').toUpperCase()}`;
}

export const pill = (status: string | null | undefined) =>
  h('span', { class: `pill ${status ?? ''}`, 'data-status': status ?? '' }, status ?? '—');

/** A message box: the API's error message, or a confirmation. */
export const message = (kind: 'error' | 'ok', text: string) =>
  h('div', { class: `msg ${kind}`, role: kind === 'error' ? 'alert' : 'status' }, text);

/** `datetime-local` input value (UTC) ↔ Unix seconds. */
export const toLocalInput = (seconds: number) => new Date(seconds * 1000).toISOString().slice(0, 16);
export const fromLocalInput = (value: string) => Math.floor(Date.parse(`${value}:00Z`) / 1000);
