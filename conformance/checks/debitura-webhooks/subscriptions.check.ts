// The partner's webhook subscriptions (Referral API POST, GET, DELETE /webhooks) read back: the create
// answer is the request's url, events and isTestMode, active, with a base64 secret; GET /webhooks holds
// it with the same fields and no secret; DELETE answers 204, then the list lacks it and a second DELETE
// is 404. A customer event (payment.created) is not a partner event: 400, nothing created.
import { beforeAll, expect, it } from 'vitest';
import { capability, needs } from '../../support/capability.js';
import { expectRefusal, freshPartner, type Partner } from '../../support/debitura.js';
import { about, UUID } from '../../support/debitura-referral.js';
import { realNowSeconds } from '../../support/runtime.js';
import { target } from '../../support/target.js';

capability('debitura-webhooks', "the partner's webhook subscriptions", () => {
  // Never delivered to (this file's partner has no cases): the --webhook-host the target's URL guard lets in, a closed port.
  const URL_ = `http://${target().webhookHost}:9/partner-hooks`;
  let partner: Partner;
  let created:
    | { id: string; url: string; events: string[]; isActive: boolean; createdUtc: string; isTestMode: boolean }
    | undefined;

  beforeAll(async () => {
    partner = await freshPartner();
  });

  const listed = async () => {
    const { data, response } = await partner.api.GET('/webhooks');
    expect(response.status, '[debitura.hook-subscriptions] GET /webhooks').toBe(200);
    return data!;
  };

  it("POST /webhooks answers the request's url, events and isTestMode, active, with a base64 secret; GET /webhooks holds it with the same fields and no secret", async () => {
    const say = about('debitura.hook-subscriptions');
    const { data, response } = await partner.api.POST('/webhooks', {
      body: { url: URL_, events: ['case.created', 'case.closed'], isTestMode: true },
    });
    expect(response.status, say('POST /webhooks')).toBe(201);
    const s = data!;
    expect(s.id, say('id is a uuid')).toMatch(UUID);
    expect(s.url, say('url as sent')).toBe(URL_);
    expect([...s.events].sort(), say('events as sent')).toEqual(['case.closed', 'case.created']);
    expect(s.isTestMode, say('isTestMode as sent')).toBe(true);
    expect(s.isActive, say('a new subscription is active')).toBe(true);
    expect(s.disabledReason ?? null, say('a new subscription has no disabledReason')).toBeNull();
    expect(s.secret ?? '', say('the create answer carries the base64 secret')).toMatch(/^[A-Za-z0-9+/]{16,}={0,2}$/);
    expect(
      Math.abs(Date.parse(s.createdUtc) / 1000 - realNowSeconds()) < 2 * 86_400,
      say(`createdUtc (${s.createdUtc}) is about now`),
    ).toBe(true);
    expect(
      Date.parse(s.updatedUtc ?? s.createdUtc) >= Date.parse(s.createdUtc),
      say('updatedUtc is not before createdUtc'),
    ).toBe(true);
    created = s as typeof created;
    const mine = (await listed()).filter((l) => l.id === s.id);
    expect(mine.length, say('GET /webhooks holds the new subscription once')).toBe(1);
    const l = mine[0]!;
    expect(l.secret ?? null, say('no secret outside the create answer')).toBeNull();
    expect(
      { url: l.url, events: [...l.events].sort(), isTestMode: l.isTestMode, isActive: l.isActive },
      say('the listed subscription is the created one'),
    ).toEqual({ url: s.url, events: [...s.events].sort(), isTestMode: s.isTestMode, isActive: s.isActive });
    expect(Date.parse(l.createdUtc), say('createdUtc as created')).toBe(Date.parse(s.createdUtc));
  });

  it('a customer event (payment.created) is not a partner event: 400, nothing created', async () => {
    const say = about('debitura.hook-subscriptions');
    const before = (await listed()).length;
    expectRefusal(
      await partner.api.POST('/webhooks', { body: { url: URL_, events: ['payment.created' as never] } }),
      400,
      say('POST /webhooks with events [payment.created]'),
    );
    expect((await listed()).length, say('GET /webhooks count')).toBe(before);
  });

  it('DELETE /webhooks/{id} answers 204; the list no longer holds it and a second DELETE is 404', async (ctx) => {
    needs(ctx, created, 'the subscription of "POST /webhooks answers the request\'s url"');
    const say = about('debitura.hook-subscriptions');
    const removed = await partner.api.DELETE('/webhooks/{id}', { params: { path: { id: created!.id } } });
    expect(removed.response.status, say('DELETE /webhooks/{id}')).toBe(204);
    expect(
      (await listed()).map((l) => l.id),
      say('GET /webhooks after the DELETE'),
    ).not.toContain(created!.id);
    expectRefusal(
      await partner.api.DELETE('/webhooks/{id}', { params: { path: { id: created!.id } } }),
      404,
      say('a second DELETE /webhooks/{id}'),
    );
  });
});
