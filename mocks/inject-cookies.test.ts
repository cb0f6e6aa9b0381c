// package.json pins Fastify's light-my-request to cookie 1.1.1 (`overrides`): cookie 2 declares
// Node 22 and made `npm install` warn on Node 20. This proves inject() still sends cookies with it.
import Fastify from 'fastify';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';

describe('Fastify inject with the pinned cookie package', () => {
  it('is cookie 1.1.1', () => {
    const lightMyRequest = createRequire(createRequire(import.meta.url).resolve('fastify')).resolve('light-my-request');
    expect((createRequire(lightMyRequest)('cookie/package.json') as { version: string }).version).toBe('1.1.1');
  });

  it.each([
    [{ session: 'abc' }, 'session=abc'],
    [{ a: '1', b: 'two words' }, 'a=1; b=two%20words'],
  ])('inject({ cookies: %j }) sends Cookie: %s', async (cookies, header) => {
    const app = Fastify();
    app.get('/', async (request) => ({ cookie: request.headers.cookie ?? null }));
    const res = await app.inject({ url: '/', cookies });
    expect(res.json()).toEqual({ cookie: header });
    await app.close();
  });
});
