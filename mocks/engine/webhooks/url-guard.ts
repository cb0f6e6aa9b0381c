// Where webhooks may go. A mock that others can reach (listening off loopback, or run with an admin
// token) must not become a way into the network it runs in: with `blocking` on, a webhook URL whose
// host is — or resolves to — a loopback, private (RFC 1918), link-local, unique-local, unspecified,
// CGNAT, reserved or cloud-metadata address is refused when it is registered (a 400 naming `url`), and
// every delivery checks the addresses again when it dials (DNS can change between the two): the
// request is sent with a `lookup` that resolves, checks every address and hands the socket only a
// checked one, so the address checked is the address dialled. Redirects are never followed (the
// sender reads the status and closes).
// Either way, what a failed delivery records is a code (`ECONNREFUSED`, `timeout`, `address_blocked`,
// `network_error`), never an error's message, which may carry the target's own text.
// With `blocking` off (a developer's mock on loopback, the default) webhooks go anywhere, through
// `fetch`, as they always did: local receivers are the point of a local mock.
import { BlockList, isIP, isIPv4, isIPv6, type LookupFunction } from 'node:net';
import { promises as dns } from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import { errors } from '../errors.js';

/** The kinds of address a shared mock never delivers to. */
export type BlockedRange =
  'loopback' | 'private' | 'link-local' | 'unique-local' | 'unspecified' | 'cgnat' | 'metadata' | 'reserved';

/** How a webhook request is sent (fetch's shape; the dispatcher and Debitura's test delivery use it). */
export type Send = (url: string, init: RequestInit) => Promise<Response>;

/** A hostname's addresses (the system resolver by default; tests pass their own). */
export type Resolve = (hostname: string) => Promise<readonly string[]>;

/** The code an attempt refused by the address check records. */
export const BLOCKED_CODE = 'address_blocked';
/** How long registration waits for DNS before accepting the URL (the check at dial time still applies). */
export const REGISTRATION_DNS_TIMEOUT_MS = 3000;

// Most specific first: a metadata address is also link-local, and says more.
const RANGES: ReadonlyArray<readonly [BlockedRange, string, number]> = [
  ['metadata', '169.254.169.254', 32], // AWS, GCP, Azure, OCI, DigitalOcean, OpenStack
  ['metadata', '169.254.170.2', 32], // AWS ECS task metadata
  ['metadata', '169.254.170.23', 32], // AWS EKS Pod Identity
  ['metadata', '100.100.100.200', 32], // Alibaba Cloud
  ['metadata', 'fd00:ec2::254', 128], // AWS over IPv6
  ['metadata', 'fd00:ec2::23', 128], // AWS EKS Pod Identity over IPv6
  ['unspecified', '0.0.0.0', 8], // "this network": 0.0.0.0 reaches the local host on Linux
  ['loopback', '127.0.0.0', 8],
  ['private', '10.0.0.0', 8],
  ['private', '172.16.0.0', 12],
  ['private', '192.168.0.0', 16],
  ['link-local', '169.254.0.0', 16],
  ['cgnat', '100.64.0.0', 10],
  ['reserved', '192.0.0.0', 24], // IETF protocol assignments
  ['reserved', '198.18.0.0', 15], // benchmarking, used inside some private networks
  ['reserved', '224.0.0.0', 4], // multicast
  ['reserved', '240.0.0.0', 4], // reserved, and 255.255.255.255
  ['unspecified', '::', 128],
  ['loopback', '::1', 128],
  ['link-local', 'fe80::', 10],
  ['unique-local', 'fc00::', 7],
  ['private', 'fec0::', 10], // site-local, deprecated but still routed by some stacks
  ['reserved', 'ff00::', 8], // multicast
  ['reserved', '100::', 64], // discard-only
];

/** One BlockList per kind, so a match says which kind it is. */
const LISTS: ReadonlyArray<readonly [BlockedRange, BlockList]> = (() => {
  const lists = new Map<BlockedRange, BlockList>();
  for (const [kind, network, prefix] of RANGES) {
    let list = lists.get(kind);
    if (!list) lists.set(kind, (list = new BlockList()));
    list.addSubnet(network, prefix, isIPv4(network) ? 'ipv4' : 'ipv6');
  }
  // Metadata first (see RANGES), then the order of the table.
  return [...lists.entries()];
})();

/** Names that lead to metadata services inside a cloud (outside it they may not resolve at all). */
const METADATA_NAMES: ReadonlySet<string> = new Set([
  'metadata.google.internal',
  'metadata.goog',
  'metadata',
  'instance-data',
  'instance-data.ec2.internal',
  'metadata.tencentyun.com',
]);

/** The 16 bytes of an IPv6 address (already valid per net.isIPv6, zone removed). */
function ipv6Bytes(address: string): number[] {
  let text = address;
  // A trailing dotted quad (::ffff:1.2.3.4) is the last two groups.
  const quad = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (quad) {
    const [a, b, c, d] = quad.slice(1).map(Number) as [number, number, number, number];
    text = `${text.slice(0, quad.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head, tail] = text.split('::') as [string, string | undefined];
  const before = head ? head.split(':') : [];
  const after = tail ? tail.split(':') : [];
  const groups =
    tail === undefined ? before : [...before, ...Array<string>(8 - before.length - after.length).fill('0'), ...after];
  return groups.flatMap((group) => {
    const value = parseInt(group, 16);
    return [value >> 8, value & 255];
  });
}

const dotted = (bytes: number[]) => bytes.join('.');

/**
 * The IPv4 address an IPv6 address carries, where the network would deliver to it: IPv4-mapped
 * (::ffff:a.b.c.d), IPv4-compatible (::a.b.c.d), NAT64 (64:ff9b::/96), 6to4 (2002::/16) and
 * Teredo's client (2001::/32, inverted).
 */
function embeddedIpv4(address: string): string | undefined {
  const b = ipv6Bytes(address);
  const zeros = (from: number, to: number) => b.slice(from, to).every((x) => x === 0);
  if (zeros(0, 10) && b[10] === 0xff && b[11] === 0xff) return dotted(b.slice(12));
  if (zeros(0, 12)) return dotted(b.slice(12));
  if (b[0] === 0x00 && b[1] === 0x64 && b[2] === 0xff && b[3] === 0x9b && zeros(4, 12)) return dotted(b.slice(12));
  if (b[0] === 0x20 && b[1] === 0x02) return dotted(b.slice(2, 6));
  if (b[0] === 0x20 && b[1] === 0x01 && b[2] === 0 && b[3] === 0) return dotted(b.slice(12).map((x) => x ^ 0xff));
  return undefined;
}

/**
 * The blocked kind of an IP address, or null for a public one. Takes what DNS answers and what a URL's
 * host holds: dotted IPv4, any IPv6 form (brackets and a zone allowed).
 * @example classifyAddress('10.1.2.3')          // 'private'
 * @example classifyAddress('::ffff:169.254.169.254') // 'metadata'
 * @example classifyAddress('93.184.215.14')     // null
 */
export function classifyAddress(address: string): BlockedRange | null {
  const bare = address.replace(/^\[|\]$/g, '').replace(/%.*$/, '');
  const family = isIP(bare);
  if (family === 0) return null;
  for (const [kind, list] of LISTS) if (list.check(bare, family === 4 ? 'ipv4' : 'ipv6')) return kind;
  if (family === 6) {
    const inner = embeddedIpv4(bare);
    if (inner !== undefined) {
      for (const [kind, list] of LISTS) if (list.check(inner, 'ipv4')) return kind;
    }
  }
  return null;
}

/**
 * The blocked kind a host is known to be without asking DNS: an IP address in any form a URL or
 * inet_aton accepts (decimal `2130706433`, hex `0x7f.1`, octal `0177.0.0.1`, short `127.1`, IPv6),
 * `localhost` and `*.localhost`, and the cloud metadata names; trailing dots and case ignored.
 * Null when only DNS can tell (or the host is a public address).
 * @example classifyHost('0x7f000001')                // 'loopback'
 * @example classifyHost('METADATA.google.internal.') // 'metadata'
 */
export function classifyHost(host: string): BlockedRange | null {
  const name = host
    .trim()
    .toLowerCase()
    .replace(/^\[|\]$/g, '')
    .replace(/\.+$/, '');
  if (isIP(name.replace(/%.*$/, ''))) return classifyAddress(name);
  if (name === 'localhost' || name.endsWith('.localhost')) return 'loopback';
  if (METADATA_NAMES.has(name)) return 'metadata';
  // The WHATWG URL parser reads the legacy IPv4 forms (the same ones inet_aton reads).
  let parsed: string | undefined;
  try {
    parsed = new URL(`http://${name}/`).hostname;
  } catch {
    return null;
  }
  return isIPv4(parsed) ? classifyAddress(parsed) : null;
}

/** DNS timeouts: each query waits at most 2 s, twice, so a slow name costs a registration ≤ 4 s. */
const resolver = new dns.Resolver({ timeout: 2000, tries: 2 });

/**
 * The default resolver: A and AAAA records from DNS (c-ares). Not getaddrinfo: that runs on libuv's
 * four threads with no timeout, so names at a slow server could stall the mock's file reads; and the
 * check and the dial both use this one, so what is checked is what is dialled (/etc/hosts is not read).
 */
export const systemResolve: Resolve = async (hostname) => {
  const [v4, v6] = await Promise.allSettled([resolver.resolve4(hostname), resolver.resolve6(hostname)]);
  const addresses = [...(v4.status === 'fulfilled' ? v4.value : []), ...(v6.status === 'fulfilled' ? v6.value : [])];
  if (addresses.length === 0) throw v4.status === 'rejected' ? v4.reason : coded('ENOTFOUND');
  return addresses;
};

const KIND_WORDS: Record<BlockedRange, string> = {
  loopback: 'a loopback address',
  private: 'a private (RFC 1918) address',
  'link-local': 'a link-local address',
  'unique-local': 'a unique-local IPv6 address',
  unspecified: 'an unspecified address',
  cgnat: 'a carrier-grade NAT (100.64.0.0/10) address',
  metadata: 'a cloud metadata address',
  reserved: 'a reserved or multicast address',
};

const refusal = (what: string) =>
  errors.parameterInvalid(
    'url',
    `${what}. This mock is shared (or runs with --block-private-webhooks), so webhooks go only to public addresses; its operator can lift this with --allow-private-webhooks.`,
  );

/** An error carrying only a code (the dispatcher records `code`; Debitura's test maps it to a category). */
function coded(code: string): Error & { code: string } {
  return Object.assign(new Error(code), { code });
}

/** A Node error code is the mock's own vocabulary; a message may be the target's text, so it is dropped. */
function sanitized(error: unknown): Error & { code: string } {
  for (let current: unknown = error, depth = 0; depth < 5 && current && typeof current === 'object'; depth++) {
    const { code, cause } = current as { code?: unknown; cause?: unknown };
    if (typeof code === 'string' && /^[A-Za-z][A-Za-z0-9_]{0,63}$/.test(code)) return coded(code);
    current = cause;
  }
  return coded('network_error');
}

/** A `lookup` for net.connect that resolves with `resolve`, refuses when any address is blocked, and answers in the shape asked for. */
function checkedLookup(resolve: Resolve, classify: (address: string) => BlockedRange | null): LookupFunction {
  return (hostname, options, callback) => {
    const answer = (addresses: readonly string[]) => {
      if (addresses.length === 0) throw coded('ENOTFOUND');
      // Any blocked address refuses the name: a name that also points inside is not a public receiver.
      if (addresses.some((address) => classify(address) !== null)) throw coded(BLOCKED_CODE);
      const entries = addresses
        .map((address) => ({ address, family: isIPv6(address) ? 6 : 4 }))
        .filter((entry) => (options.family !== 4 && options.family !== 6 ? true : entry.family === options.family));
      if (entries.length === 0) throw coded('ENOTFOUND');
      return entries;
    };
    resolve(hostname)
      .then(answer)
      .then(
        (entries) =>
          options.all
            ? (callback as unknown as (error: null, all: typeof entries) => void)(null, entries)
            : callback(null, entries[0]!.address, entries[0]!.family),
        (error: unknown) => callback(sanitized(error) as NodeJS.ErrnoException, '', 0),
      );
  };
}

/**
 * A `Send` that dials only addresses `classify` passes: IP literals are checked before the request,
 * names through the socket's own lookup. One connection per request (no pool), redirects never
 * followed (the status is read and the connection closed), failures reduced to a code.
 * @example
 * const send = checkedSend((a) => classifyAddress(a), systemResolve);
 * (await send('https://hooks.example.com/casapay', { method: 'POST', body: '{}' })).status
 */
export function checkedSend(classify: (address: string) => BlockedRange | null, resolve: Resolve): Send {
  const lookup = checkedLookup(resolve, classify);
  return (url, init) =>
    new Promise<Response>((settle, fail) => {
      const target = new URL(url);
      const host = target.hostname.replace(/^\[|\]$/g, '');
      if (isIP(host) ? classify(host) !== null : classifyHost(host) !== null) return fail(coded(BLOCKED_CODE));
      const body = typeof init.body === 'string' ? init.body : '';
      const headers: Record<string, string> = {
        ...(init.headers as Record<string, string> | undefined),
        'Content-Length': String(Buffer.byteLength(body)),
      };
      const transport = target.protocol === 'https:' ? https : http;
      const request = transport.request(
        {
          protocol: target.protocol,
          hostname: host,
          port: target.port || undefined,
          path: `${target.pathname}${target.search}`,
          method: init.method ?? 'POST',
          headers,
          auth: target.username
            ? `${decodeURIComponent(target.username)}:${decodeURIComponent(target.password)}`
            : undefined,
          agent: false,
          lookup,
          signal: init.signal ?? undefined,
        },
        (response) => {
          const status = response.statusCode ?? 0;
          // Only the status matters: close now, whatever the body (and never follow a Location).
          response.destroy();
          if (status < 200 || status > 599) return fail(coded('invalid_status'));
          settle(new Response(null, { status }));
        },
      );
      request.on('error', (error) => fail(init.signal?.aborted ? error : sanitized(error)));
      request.end(body);
    });
}

export interface WebhookUrlGuardOptions {
  /** Refuse non-public targets (see the top of this file). */
  blocking: boolean;
  /** Default: the system resolver. */
  resolve?: Resolve;
}

export interface WebhookUrlGuard {
  readonly blocking: boolean;
  /**
   * The registration check of a webhook URL: throws a 400 naming `url` when its host is known to be
   * blocked, returns a promise when only DNS can tell (rejected with the 400 when an address it
   * resolves to is blocked; resolved when it is public, does not resolve or DNS is slow), or
   * undefined when there is nothing to wait for. Not blocking: always undefined.
   */
  check(url: string): Promise<void> | undefined;
  /** How deliveries are sent: fetch when not blocking, checkedSend when blocking; failures are codes either way. */
  readonly send: Send;
}

/**
 * @example
 * const guard = createWebhookUrlGuard({ blocking: true });
 * guard.check('http://169.254.169.254/latest/meta-data'); // throws the 400 (a cloud metadata address)
 * await guard.check('https://hooks.example.com/casapay'); // resolves: a public address
 */
export function createWebhookUrlGuard(options: WebhookUrlGuardOptions): WebhookUrlGuard {
  const resolve = options.resolve ?? systemResolve;
  // Not blocking: fetch, its failures reduced to codes as well (an operator's --allow-private-webhooks
  // on a shared mock must not turn the attempt log into a reader of the target's error text).
  const fetchSend: Send = (url, init) =>
    fetch(url, init).catch((error: unknown) => Promise.reject(init.signal?.aborted ? error : sanitized(error)));
  if (!options.blocking) return { blocking: false, check: () => undefined, send: fetchSend };
  return {
    blocking: true,
    send: checkedSend(classifyAddress, resolve),
    check(url) {
      let host: string;
      try {
        host = new URL(url).hostname;
      } catch {
        return undefined; // not a URL: the contract's validation or the handler says so
      }
      const known = classifyHost(host);
      if (known !== null) throw refusal(`its host ${host} is ${KIND_WORDS[known]}`);
      if (isIP(host.replace(/^\[|\]$/g, ''))) return undefined;
      let timer: ReturnType<typeof setTimeout> | undefined;
      const slow = new Promise<readonly string[]>(
        (settle) => (timer = setTimeout(() => settle([]), REGISTRATION_DNS_TIMEOUT_MS)),
      );
      return Promise.race([resolve(host).catch(() => [] as readonly string[]), slow]).then((addresses) => {
        clearTimeout(timer);
        // Name the kind, not the address: the answer must not read out the mock's private DNS.
        const kind = addresses.map(classifyAddress).find((k) => k !== null);
        if (kind) throw refusal(`its host ${host} resolves to ${KIND_WORDS[kind]}`);
      });
    },
  };
}

/**
 * The check of a URL given at start (`--webhook-url`): rejects with an Error that names the flag,
 * for the CLI to print before it exits.
 * @example await checkStartupWebhookUrl('http://10.0.0.5/hooks', { blocking: true }) // rejects: --webhook-url …: its host 10.0.0.5 is a private (RFC 1918) address…
 */
export async function checkStartupWebhookUrl(url: string, options: WebhookUrlGuardOptions): Promise<void> {
  try {
    new URL(url);
  } catch {
    throw new Error(`--webhook-url ${url} is not an absolute URL.`);
  }
  try {
    await createWebhookUrlGuard(options).check(url);
  } catch (error) {
    throw new Error(`--webhook-url ${url}: ${(error as Error).message.replace(/^Invalid url: /, '')}`, {
      cause: error,
    });
  }
}
