// The smallest API module (mocks/engine/api-module.ts): its own contract, key, error shape, state
// and handler, mounted beside CasaPay's and Debitura's with `createMockServer({ apis: [greetingsApi] })`.
// No engine file knows it exists. mocks/README.md shows this file; greetings-api.test.ts mounts it.
import type { FastifyInstance } from 'fastify';
import { loadContract } from '../../kit/contract.js';
import type { ApiModule, MountContext } from '../../mocks/engine/api-module.js';
import { authenticationHook } from '../../mocks/engine/authentication.js';
import { ApiError, type RenderedError } from '../../mocks/engine/errors.js';
import { ok, type RequestContext } from '../../mocks/engine/handler.js';
import { mountOperations } from '../../mocks/engine/mount-operations.js';
import type { Sandbox } from '../../mocks/engine/sandbox.js';
import type { Account } from '../../mocks/engine/state/accounts.js';

const PREFIX = '/greetings';
const error = { type: 'object', required: ['problem'], properties: { problem: { type: 'string' } } };
const contract = loadContract({
  openapi: '3.1.0',
  info: { title: 'Greetings', version: '1' },
  paths: {
    '/hello/{name}': {
      post: {
        operationId: 'greet',
        parameters: [{ name: 'name', in: 'path', required: true, schema: { type: 'string', maxLength: 20 } }],
        responses: {
          '200': {
            description: 'A greeting',
            content: { 'application/json': { schema: { $ref: '#/components/schemas/Greeting' } } },
          },
          '400': { description: 'Bad input', content: { 'application/json': { schema: error } } },
          '401': { description: 'No key', content: { 'application/json': { schema: error } } },
        },
      },
    },
  },
  components: {
    schemas: {
      Greeting: {
        type: 'object',
        required: ['greeting', 'count'],
        properties: { greeting: { type: 'string' }, count: { type: 'integer' } },
      },
    },
  },
});

/** This API's state of an account: how often it greeted. */
type GreetingsAccount = Account & { greeted?: number };

export function greetingsApi({ sandbox }: { sandbox: Sandbox }): ApiModule {
  const renderError = (failure: ApiError): RenderedError => ({
    status: failure.status,
    body: { problem: failure.message },
  });
  const greet = (ctx: RequestContext<GreetingsAccount>) => {
    ctx.account.greeted = (ctx.account.greeted ?? 0) + 1;
    return ok({ greeting: `Hello, ${ctx.params.name}!`, count: ctx.account.greeted });
  };
  return {
    name: 'greetings',
    prefixes: [`${PREFIX}/`],
    renderError,
    scenarioNames: () => [],
    accountKeys: { test: (key) => key.startsWith('greetings:'), example: 'greetings:<key>' },
    listings: [
      {
        name: 'Greetings',
        prefix: PREFIX,
        auth: 'X-Greeting-Key: <any>',
        contract,
        try: 'curl -X POST {base}/hello/world -H "X-Greeting-Key: k"',
      },
    ],
    dump: (account) => ({ greeted: (account as GreetingsAccount).greeted ?? 0 }),
    async mount(app: FastifyInstance, context: MountContext) {
      let compiled: ReturnType<typeof mountOperations> = [];
      await app.register(
        async (scope) => {
          // The engine's hook: on a store several instances share, it also locks the account it opened.
          scope.addHook(
            'onRequest',
            authenticationHook(sandbox, (request) => {
              const key = request.headers['x-greeting-key'];
              if (typeof key !== 'string' || !key)
                throw new ApiError(401, 'authentication_error', 'api_key_missing', 'Send X-Greeting-Key.');
              request.account = sandbox.account(`greetings:${key}`);
            }),
          );
          compiled = mountOperations(scope, {
            sandbox,
            contract,
            handlers: { greet },
            renderError,
            validateResponses: context.validateResponses,
            fileLimitBytes: 1024,
          });
        },
        { prefix: PREFIX },
      );
      return compiled;
    },
  };
}
