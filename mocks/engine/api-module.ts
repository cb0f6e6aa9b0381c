// The one shape every API of the mock takes. The composition root (mocks/server.ts) builds the engine,
// then mounts a list of these; the operator surfaces (admin, journal, faults, front door) ask them for
// prefixes, account keys and dumps. Adding an API is writing one of these: no engine file changes
// (mocks/README.md shows the smallest one; mocks/engine/api-module.test.ts mounts it).
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Contract } from '../../kit/contract.js';
import type { ApiError, RenderedError } from './errors.js';
import type { CompiledOperation } from './pipeline.js';
import type { NamedClocks, Sandbox } from './sandbox.js';
import type { Account } from './state/accounts.js';

/** What the engine hands every module when it mounts. */
export interface MountContext {
  /** Check every response against the contract (a mismatch becomes a 500 that says why). */
  validateResponses: boolean;
  /** Logs an error no one expected (it becomes a 500 in the API's shape). */
  logUnexpected(request: FastifyRequest, error: unknown): void;
  /** The Prefer header as Prism should see it (the fault hooks read their own keys from it). */
  preferForPrism(header: string | undefined): string | undefined;
}

/** One API as the front door lists it: base URL, authentication, contract, a first request. */
export interface ApiListing {
  name: string;
  /** The base path a client uses as its base URL (`''` when the contract's paths carry their own prefix). */
  prefix: string;
  auth: string;
  contract: Contract;
  /** A first request, with `{base}` for the base URL. */
  try: string;
}

export interface ApiModule {
  /** Short and lower-case: `casapay`, `debitura`. */
  name: string;
  /** The URL prefixes the API answers under (`/api/`): answers written before any route runs take its shape. */
  prefixes: readonly string[];
  /** How the API writes any error (its own body shape), including what the HTTP layer refuses. */
  renderError(error: ApiError): RenderedError;
  /** Registers the API's routes with their authentication and error handlers; returns them for warming up. */
  mount(app: FastifyInstance, context: MountContext): Promise<CompiledOperation[]>;
  /** Gives a new account the API's state (every account gets every API's state, as it opens). */
  initAccount?(account: Account): void;
  /** Seeds a new account the API owns; true when it did (then later modules do not). */
  seed?(account: Account): boolean;
  /** The objects the account stores in this API (for --max-objects). */
  storedObjects?(account: Account): number;
  /** The API's named clocks (test clocks), if it has them. */
  namedClocks?: NamedClocks;
  /** The API's scenarios by name (for --scenario and the front door). */
  scenarioNames(): readonly string[];
  /** Whether `key` is the admin name of one of this API's accounts, and how to spell one (`api:<key>`). */
  accountKeys: { test(key: string): boolean; example: string };
  /**
   * When the mock is shared, the account's admin data needs the account's own credentials: undefined
   * when the request carries them for `key`, else the 401 to answer.
   */
  proveAccount?(request: FastifyRequest, key: string): ApiError | undefined;
  /** The account's state in this API, as JSON, for GET /__admin/state; undefined when it has none. */
  dump?(account: Account): Record<string, unknown> | undefined;
  /** A line about the account for the admin's account list (GET /__admin/accounts): counts, mode. */
  summary?(account: Account): Record<string, unknown>;
  /** How the front door lists the API's base URLs. */
  listings: readonly ApiListing[];
  /** Benign variants' Fastify hooks, installed before the routes (none by default). */
  install?(app: FastifyInstance): void;
}

/**
 * Wires the modules into the sandbox: each new account gets every API's state, then the first module
 * that owns it seeds it; --max-objects counts every API's objects; the named clocks are the first
 * module's that has them.
 * @example attachModules(sandbox, [casapay, debitura])
 */
export function attachModules(sandbox: Sandbox, modules: readonly ApiModule[]): void {
  sandbox.initAccount = (account) => {
    for (const module of modules) module.initAccount?.(account);
  };
  sandbox.seedAccount = (account) => {
    for (const module of modules) if (module.seed?.(account)) return;
  };
  sandbox.storedObjects = (account) => modules.reduce((sum, module) => sum + (module.storedObjects?.(account) ?? 0), 0);
  sandbox.namedClocks = modules.find((module) => module.namedClocks)?.namedClocks;
}

/**
 * The module a URL belongs to: the first whose prefix it starts with, else the first module (the
 * mock's front door and admin speak its error shape).
 * @example moduleFor([casapay, greetings], '/greetings/hello/world').name // 'greetings'
 */
export function moduleFor(modules: readonly ApiModule[], url: string): ApiModule {
  for (const module of modules) for (const prefix of module.prefixes) if (url.startsWith(prefix)) return module;
  return modules[0]!;
}
