// The container route (`casapay-contract-kit/testcontainers`): the mock's Docker image (../../Dockerfile)
// as a testcontainers module, in the shape of testcontainers-node's own modules — a GenericContainer
// subclass that waits for the image's HEALTHCHECK, and a started wrapper with typed getters: the base
// URL, a typed client and the admin routes. It may import testcontainers, the typed client and the
// admin routes' shapes; nothing of the engine runs here (the engine runs inside the container).
// testcontainers itself is loaded through ./peer.ts, which checks its version first.
import { mkdirSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import type { StartedTestContainer } from 'testcontainers';
import { createCasaPayClient, type CasaPayClient } from '../../client/index.js';
import { ADMIN_TOKEN_ENV, ADMIN_TOKEN_HEADER } from '../operator/admin-access.js';
import { envName } from '../cli-env.js';
import { mintSecret } from '../engine/state/ids.js';
import type { dumpAccount } from '../operator/admin.js';
import type { Clock } from '../engine/clock.js';
import type { RequestPattern } from '../operator/journal-match.js';
import type { JournalEntry } from '../operator/journal.js';
import { loadPeer, TESTCONTAINERS } from './peer.js';

// Loaded after checking the installed version fits this Node (./peer.ts): a missing or too new
// testcontainers fails the import naming the package and the version to install.
const { AbstractStartedContainer, GenericContainer, Wait } =
  await loadPeer<typeof import('testcontainers')>(TESTCONTAINERS);

/** The tag `docker build -t casapay-mock .` gives the image. */
export const CASAPAY_MOCK_IMAGE = 'casapay-mock:latest';
export const CASAPAY_MOCK_PORT = 4010;
/** The image's data folder (owned by its `node` user): where `withDataDir()` keeps the SQLite store. */
export const CASAPAY_MOCK_DATA_DIR = '/data';

/** A Docker volume name, as Docker tells one from a host path: no slash, not starting with a dot. */
const isVolumeName = (source: string): boolean => /^[A-Za-z0-9][A-Za-z0-9_.-]*$/.test(source);
const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]', '::1']);

function freeLoopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/**
 * The CasaPay mock in a container.
 * @example
 * const mock = await new CasaPayMockContainer().withScenario('paid-in-full').start();
 * const { data } = await mock.client('sk_test_123').GET('/v1/collection_cases');
 * await mock.stop();
 */
export class CasaPayMockContainer extends GenericContainer {
  private hostNetwork = false;
  private adminToken: string | undefined;
  private store: { dataDir?: { source?: string }; databaseUrl?: string } = {};

  constructor(image = CASAPAY_MOCK_IMAGE) {
    super(image);
    this.withWaitStrategy(Wait.forHealthCheck()).withStartupTimeout(60_000);
  }

  /** Seeds every new account with a scenario (`casapay-mock scenarios` lists them). */
  withScenario(name: string): this {
    return this.withEnvironment({ [envName('scenario')]: name });
  }

  /** Deterministic ids and references. */
  withSeed(seed: string): this {
    return this.withEnvironment({ [envName('seed')]: seed });
  }

  /** The token the console and /__admin ask for off loopback; default: one made for this container. */
  withAdminToken(token: string): this {
    this.adminToken = token;
    return this;
  }

  /**
   * Lets the mock deliver webhooks to private addresses: a receiver in your test process, reached from
   * the container as `host.docker.internal` or the bridge's gateway (or 127.0.0.1 with host
   * networking). Off by default: the container has an admin token, so like any shared mock it
   * refuses webhook URLs into loopback, private and metadata ranges (mocks/engine/webhooks/url-guard.ts).
   */
  withPrivateWebhooks(): this {
    return this.withEnvironment({ [envName('allow-private-webhooks')]: 'true' });
  }

  /**
   * Keeps the sandbox in SQLite in the container's /data (`--data-dir /data`), so it survives a restart.
   * - no argument: /data inside the container; kept while the container is (its own `restart()`), gone with it;
   * - a volume name (`casapay-data`): a Docker volume on /data, kept by Docker for the next container;
   * - a host folder (absolute, or starting with `.`): bind-mounted on /data and created if missing; the
   *   container then runs as your user and group (`withUser(uid:gid)`) so it can write there and the file
   *   it writes, `casapay-mock.sqlite`, is yours.
   * Needs an image whose Node has node:sqlite (the Dockerfile's default base, Node 24).
   * @example
   * // A new container on the same folder finds the sandbox as the last one left it.
   * const mock = await new CasaPayMockContainer().withDataDir('./.mock-data').start();
   */
  withDataDir(hostPathOrVolume?: string): this {
    this.store.dataDir = { source: hostPathOrVolume };
    return this.withEnvironment({ [envName('data-dir')]: CASAPAY_MOCK_DATA_DIR });
  }

  /**
   * Keeps the sandbox in PostgreSQL (`--database-url`). The URL is read inside the container: 127.0.0.1
   * there is the container itself unless it shares the host's network (`withHostNetwork()`); otherwise
   * name a host it can reach (a testcontainers network alias, `host.docker.internal`, …).
   * @example
   * const mock = await new CasaPayMockContainer()
   *   .withHostNetwork()
   *   .withDatabaseUrl('postgres://mock:pw@127.0.0.1:5432/mock')
   *   .start();
   */
  withDatabaseUrl(url: string): this {
    this.store.databaseUrl = url;
    return this.withEnvironment({ [envName('database-url')]: url });
  }

  /** Any other flag of casapay-mock, by its long name: `withMockOption('error-rate', '0.2')`. */
  withMockOption(flag: string, value: string): this {
    return this.withEnvironment({ [envName(flag)]: value });
  }

  /**
   * Shares the host's network instead of mapping a port (for Docker engines without a bridge
   * network). The mock then listens on 127.0.0.1 at a free port picked when it starts.
   */
  withHostNetwork(): this {
    this.hostNetwork = true;
    return this.withNetworkMode('host');
  }

  override async start(): Promise<StartedCasaPayMockContainer> {
    this.prepareStore();
    const adminToken = this.adminToken ?? mintSecret('adm');
    this.withEnvironment({ [ADMIN_TOKEN_ENV]: adminToken });
    let baseUrl: (started: StartedTestContainer) => string;
    if (this.hostNetwork) {
      const port = await freeLoopbackPort();
      this.withEnvironment({ PORT: String(port), [envName('host')]: '127.0.0.1' });
      baseUrl = () => `http://127.0.0.1:${port}`;
    } else {
      this.withExposedPorts(CASAPAY_MOCK_PORT);
      baseUrl = (started) => `http://${started.getHost()}:${started.getMappedPort(CASAPAY_MOCK_PORT)}`;
    }
    const started = await super.start();
    return new StartedCasaPayMockContainer(started, baseUrl(started), adminToken);
  }

  /** Refuses what the mock would refuse at start (saying it here, not as a container that never gets healthy); mounts the data dir. */
  private prepareStore(): void {
    const { dataDir, databaseUrl } = this.store;
    if (dataDir && databaseUrl !== undefined)
      throw new Error('Choose one store: withDataDir() (SQLite) or withDatabaseUrl() (PostgreSQL), not both.');
    if (databaseUrl !== undefined) {
      let url: URL | undefined;
      try {
        url = new URL(databaseUrl);
      } catch {
        // Not echoed: it may hold a password.
      }
      if (!url || !['postgres:', 'postgresql:'].includes(url.protocol) || !url.hostname)
        throw new Error('withDatabaseUrl(): not a PostgreSQL URL; give postgres://user:pass@host:5432/db');
      if (!this.hostNetwork && LOOPBACK_HOSTS.has(url.hostname))
        throw new Error(
          `withDatabaseUrl(): ${url.hostname} inside the container is the container itself; use withHostNetwork(), or a host the container can reach (a network alias, host.docker.internal).`,
        );
    }
    const source = dataDir?.source;
    if (source === undefined) return;
    let bind = source;
    if (!isVolumeName(source)) {
      bind = path.resolve(source);
      mkdirSync(bind, { recursive: true });
      // The image's user (node, 1000) may not write into a folder of yours: the container runs as you.
      if (this.createOpts.User === undefined && process.getuid && process.getgid)
        this.withUser(`${process.getuid()}:${process.getgid()}`);
    }
    const mount = `${bind}:${CASAPAY_MOCK_DATA_DIR}:rw`;
    this.hostConfig.Binds = [...(this.hostConfig.Binds ?? []).filter((b) => b !== mount), mount];
  }
}

/** What `/__admin` offers, over HTTP (see the README's admin routes). */
export interface CasaPayMockAdmin {
  health(): Promise<boolean>;
  /** Everything one account holds. */
  state(apiKey: string): Promise<ReturnType<typeof dumpAccount>>;
  /** Forgets one account, or all of them. */
  reset(apiKey?: string): Promise<void>;
  /** The requests received that match a pattern, oldest first. */
  received(pattern?: Omit<RequestPattern, 'path'> & { path?: string }): Promise<JournalEntry[]>;
  /** Freezes or moves the mock's clock (`{ freeze, at, shift_seconds }`); returns the clock. */
  clock(change?: { freeze?: boolean; at?: number; shift_seconds?: number }): Promise<ReturnType<Clock['describe']>>;
}

export class StartedCasaPayMockContainer extends AbstractStartedContainer {
  readonly admin: CasaPayMockAdmin;

  constructor(
    started: StartedTestContainer,
    private readonly baseUrl: string,
    private readonly adminToken: string,
  ) {
    super(started);
    // The admin token on every call, and the account's own key where the route is about one account
    // (what a shared mock asks for; a loopback one ignores both).
    const call = async (method: string, path: string, body?: unknown, apiKey?: string) => {
      const headers: Record<string, string> = {
        [ADMIN_TOKEN_HEADER]: adminToken,
        ...(apiKey ? { authorization: `Bearer ${apiKey}` } : {}),
      };
      if (body !== undefined) headers['content-type'] = 'application/json';
      const res = await fetch(`${baseUrl}/__admin${path}`, {
        method,
        headers,
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      const json = (await res.json()) as Record<string, unknown>;
      if (!res.ok) throw new Error(`${method} /__admin${path} answered ${res.status}: ${JSON.stringify(json)}`);
      return json;
    };
    this.admin = {
      health: async () => (await fetch(`${baseUrl}/__admin/health`)).ok,
      state: async (apiKey) =>
        (await call('GET', `/state?account=${encodeURIComponent(apiKey)}`, undefined, apiKey)) as unknown as ReturnType<
          typeof dumpAccount
        >,
      reset: async (apiKey) =>
        void (await call('POST', '/reset', apiKey === undefined ? {} : { account: apiKey }, apiKey)),
      received: async (pattern = {}) =>
        (await call('POST', '/journal/find', pattern, pattern.account)).data as JournalEntry[],
      clock: async (change) =>
        (await (change ? call('POST', '/clock', change) : call('GET', '/clock'))) as ReturnType<Clock['describe']>,
    };
  }

  /** The admin token the container was started with (given, or made by the module). */
  getAdminToken(): string {
    return this.adminToken;
  }

  /** http://host:port of the mock, without a trailing slash. */
  getBaseUrl(): string {
    return this.baseUrl;
  }

  /** The base URLs of Debitura's two APIs in the container (a client's base URL is just that prefix). */
  getDebituraUrls(): { referral: string; customer: string } {
    return { referral: `${this.baseUrl}/debitura/referral`, customer: `${this.baseUrl}/debitura/customer` };
  }

  /** A typed client for one account. */
  client(apiKey: string): CasaPayClient {
    return createCasaPayClient({ baseUrl: this.baseUrl, apiKey });
  }
}
