// The Referral-Partner API's operations (/debitura/referral): a partner onboards clients, mints
// 30-minute tokens for the Customer API, follows every case of its clients, uploads files, submits
// KYC and subscribes to case webhooks. The account is the partner's (its XApiKey).
import {
  created,
  ok,
  type Handler,
  type RequestContext as HandlerContext,
  type HandlerResult,
} from '../../engine/handler.js';
import { ApiError, errors } from '../../engine/errors.js';
import { countryName, isCountry } from '../common/codes.js';
import { debituraErrors } from './errors.js';
import { partnerRequiresKyc } from './partners.js';
import { isoNow, type CreateCaseRequest } from './rules.js';
import { postSystemMessage, submissionProblem, submitCase, type DebituraRuntime } from './cases.js';
import { checkedFileName, pageOf, REFERRAL_EXTENSIONS, sortCases, statusFilter } from './lists.js';
import {
  clientByTenant,
  clientLink,
  onboardingStatus,
  worldOf,
  type CaseFile,
  type CaseRecord,
  type DebituraClient,
  type DebituraWorld,
} from './state.js';
import { casePayload, PARTNER_EVENTS } from './webhooks.js';
import { subscriptionHandlers } from './subscriptions.js';
import type { TokenRegistry } from './tokens.js';

export const ONBOARDING_URL = 'https://referral.debitura.com/onboarding/companydetails';

/** Magic e-mail domains of the onboarding user, like Stripe's test card numbers: each gives one answer of POST /clients. */
export const MAGIC_DOMAINS: Readonly<
  Record<string, 'ClientExistsNeedsLinking' | 'AlreadyLinkedToAnotherPartner' | 'InvalidClientType'>
> = {
  'exists.debitura.test': 'ClientExistsNeedsLinking',
  'linked-elsewhere.debitura.test': 'AlreadyLinkedToAnotherPartner',
  'private-person.debitura.test': 'InvalidClientType',
};
/** An onboarding user whose address has `+signed` (`jane+signed@acme.com`) has already signed everything: 201, not 202. */
export const SIGNED_MARKER = '+signed@';

const englishNames = new Map<string, string>();
/** `GB` or `United Kingdom` → `GB`; undefined when it is neither. */
function countryCode(value: string): string | undefined {
  const upper = value.trim().toUpperCase();
  if (upper.length === 2 && isCountry(upper)) return upper;
  if (!englishNames.size)
    for (let a = 65; a <= 90; a++)
      for (let b = 65; b <= 90; b++) {
        const code = String.fromCharCode(a, b);
        if (isCountry(code)) englishNames.set(countryName(code).toLowerCase(), code);
      }
  return englishNames.get(value.trim().toLowerCase());
}

/** A client of the partner with a link that is not archived or withdrawn, or 404. */
function linkedClient(ctx: HandlerContext, externalTenantId: string): { world: DebituraWorld; client: DebituraClient } {
  const world = worldOf(ctx.account);
  const client = clientByTenant(world, externalTenantId);
  if (!client || client.linkStatus !== 'Active') throw debituraErrors.clientNotLinked(externalTenantId);
  return { world, client };
}

/** A case of one of the partner's clients, or 404. */
function partnerCase(ctx: HandlerContext, caseId: string): { world: DebituraWorld; record: CaseRecord } {
  const world = worldOf(ctx.account);
  const record = world.cases.get(caseId);
  if (!record) throw debituraErrors.notFound('case linked to your clients', caseId, 'caseId');
  return { world, record };
}

const partnerView = (world: DebituraWorld, record: CaseRecord) => ({
  ...record.case,
  externalTenantId: world.clients.get(record.clientId)!.externalTenantId,
  clientId: record.clientId,
  attributedToPartner: record.attributedToPartner,
});

export function referralHandlers(rt: DebituraRuntime, tokens: TokenRegistry): Record<string, Handler> {
  const mintToken: Handler = (ctx) => {
    const { client } = linkedClient(ctx, ctx.body.externalTenantId);
    return ok(tokens.mint(ctx.account.key, client, ctx.now()));
  };

  const clientResult = (world: DebituraWorld, client: DebituraClient, caseResults: unknown): HandlerResult => {
    const status = onboardingStatus(client);
    return {
      status: status === 'Completed' ? 201 : 202,
      body: {
        clientId: client.id,
        externalTenantId: client.externalTenantId,
        onboardingStatus: status,
        onboardingLinks: status === 'Completed' ? null : { url: `${ONBOARDING_URL}/${client.id}` },
        caseResults,
      },
    };
  };

  const createClient: Handler = (ctx) => {
    const world = worldOf(ctx.account);
    const body = ctx.body as {
      externalTenantId: string;
      client: Record<string, string | null | undefined>;
      users: Array<{ email: string; name: string; isOnboardingUser?: boolean | null }>;
      cases?: CreateCaseRequest[] | null;
    };
    // Idempotent per externalTenantId: the same call again answers with the client as it is now.
    const existing = clientByTenant(world, body.externalTenantId);
    if (existing) return clientResult(world, existing, null);
    const country = countryCode(body.client.country ?? '');
    if (!country)
      throw errors.parameterInvalid(
        'client[country]',
        'must be an ISO 3166-1 alpha-2 code (GB) or an English country name.',
      );
    const onboarding = body.users.length === 1 ? body.users[0]! : body.users.filter((u) => u.isOnboardingUser === true);
    if (Array.isArray(onboarding) && onboarding.length !== 1)
      throw errors.parameterInvalid('users', 'with more than one user, exactly one must have isOnboardingUser: true.');
    const user = Array.isArray(onboarding) ? onboarding[0]! : onboarding;
    const magic = MAGIC_DOMAINS[user.email.split('@')[1]?.toLowerCase() ?? ''];
    if (magic) {
      const link = magic === 'ClientExistsNeedsLinking' ? { url: `${ONBOARDING_URL}/link/${ctx.ids.uuid()}` } : null;
      const message = {
        ClientExistsNeedsLinking:
          'The client already exists in Debitura and must approve the link to your platform (the link request lasts 7 days).',
        AlreadyLinkedToAnotherPartner:
          'The client is already linked to another referral partner; contact Debitura support.',
        InvalidClientType: 'The client is not a company that can be onboarded as a creditor.',
      }[magic];
      throw debituraErrors.conflict({ conflictResponse: { type: magic, message, onboardingLinks: link } }, message);
    }
    const client: DebituraClient = {
      id: ctx.ids.uuid(),
      externalTenantId: body.externalTenantId,
      name: body.client.name!,
      country,
      registrationNumber: body.client.registrationNumber ?? null,
      supportEmail: body.client.supportEmail!,
      users: body.users.map((u) => ({ email: u.email, name: u.name, isOnboardingUser: u === user })),
      linkStatus: 'Active',
      contracts: user.email.includes(SIGNED_MARKER)
        ? { debtCollectionAgreement: 'Signed', powerOfAttorney: 'Signed' }
        : { debtCollectionAgreement: 'Pending', powerOfAttorney: 'Pending' },
      kyc: null,
      dateCreated: isoNow(ctx),
    };
    // Every case is checked before anything is stored: one invalid case or a repeated reference is a 400 for the whole request.
    const cases = body.cases ?? [];
    const seen = new Set<string>();
    cases.forEach((c, i) => {
      if (!c.creditorReference)
        throw errors.parameterMissing(
          `cases[${i}][creditorReference]`,
          'Cases sent at onboarding need a creditorReference.',
        );
      if (seen.has(c.creditorReference))
        throw errors.parameterInvalid(
          `cases[${i}][creditorReference]`,
          `'${c.creditorReference}' appears twice in this request.`,
        );
      seen.add(c.creditorReference);
      const { problem } = submissionProblem(rt, ctx, world, client, c, 'api_key');
      if (problem)
        throw new ApiError(
          problem.status,
          problem.type,
          problem.code,
          `cases[${i}]: ${problem.message}`,
          problem.param ? `cases[${i}][${problem.param}]` : null,
        );
    });
    world.clients.set(client.id, client);
    world.byTenant.set(client.externalTenantId, client.id);
    const createdCases: unknown[] = [];
    const failedCases: unknown[] = [];
    for (const c of cases) {
      try {
        // Onboarding cases wait for the contracts the onboarding link signs, as with allowPendingContracts.
        const record = submitCase(
          rt,
          ctx,
          world,
          client,
          { ...c, allowPendingContracts: true },
          { via: 'api_key', attributedToPartner: true },
        );
        createdCases.push({
          creditorReference: c.creditorReference,
          caseId: record.case.id,
          reference: record.case.reference,
          lifecycle: record.case.lifecycle,
        });
      } catch (error) {
        if (!(error instanceof ApiError) || error.status !== 422) throw error;
        const refusal = error.extra.body as { businessErrors: Array<{ type: string; message: string }> };
        failedCases.push({
          creditorReference: c.creditorReference,
          reason: refusal.businessErrors[0]?.message ?? error.message,
          businessErrors: refusal.businessErrors,
        });
      }
    }
    return clientResult(world, client, cases.length ? { createdCases, failedCases } : null);
  };

  const listClients: Handler = (ctx) => {
    const world = worldOf(ctx.account);
    return ok(
      [...world.clients.values()].filter((c) => world.directClientId !== c.id).map((c) => clientLink(world, c)),
    );
  };

  const getClient: Handler = (ctx) => {
    const world = worldOf(ctx.account);
    const client = clientByTenant(world, ctx.params.externalTenantId!);
    if (!client) throw debituraErrors.notFound('client', ctx.params.externalTenantId!, 'externalTenantId');
    return ok(clientLink(world, client));
  };

  const listPartnerCases: Handler = (ctx) => {
    const world = worldOf(ctx.account);
    const inStatuses = statusFilter(ctx.query.Statuses);
    const tenant = ctx.query.ExternalTenantId as string | undefined;
    const clientId = tenant === undefined ? undefined : (clientByTenant(world, tenant)?.id ?? '(none)');
    const matching = [...world.cases.values()].filter(
      (r) => inStatuses(r.case) && (clientId === undefined || r.clientId === clientId),
    );
    const { items, page } = pageOf(
      sortCases(matching, ctx.query.Sort, (r) => r.case),
      ctx.query,
    );
    return ok({ page, cases: items.map((r) => partnerView(world, r)) });
  };

  const uploadPartnerCaseFile: Handler = (ctx) => {
    const { record } = partnerCase(ctx, ctx.params.caseId!);
    if (!ctx.file) throw errors.parameterMissing('file');
    const fileName = checkedFileName(ctx.file.filename, REFERRAL_EXTENSIONS);
    const now = isoNow(ctx);
    const file: CaseFile = {
      id: ctx.ids.uuid(),
      dateCreated: now,
      dateUpdated: now,
      caseId: record.case.id,
      entityType: 'Case',
      entityId: record.case.id,
      fileName,
      url: null,
      description: null,
      documentType: 'CreditorDocuments',
    };
    record.files.push(file);
    worldOf(ctx.account).fileCount++;
    if (ctx.query.sendChatNotification !== false)
      postSystemMessage(ctx, record, `New file uploaded under 'Files': ${fileName}`);
    return ok({ id: file.id, fileName, dateCreated: now });
  };

  const submitKycVerification: Handler = (ctx) => {
    const { world, client } = linkedClient(ctx, ctx.params.externalTenantId!);
    const { fullName, homeAddress, dateOfBirth } = ctx.body as {
      fullName: string;
      homeAddress: string;
      dateOfBirth: string;
    };
    const notified: string[] = [];
    if (ctx.query.sendChatNotification !== false) {
      for (const record of world.cases.values()) {
        if (record.clientId !== client.id || !partnerRequiresKyc(record.partnerCountry)) continue;
        if (!['Active', 'Paused', 'NeedsAdditionalDetails'].includes(record.case.lifecycle ?? '')) continue;
        postSystemMessage(ctx, record, "KYC/AML information provided — find it under the 'KYC Status' section");
        notified.push(record.case.id);
      }
    }
    client.kyc = {
      id: ctx.ids.uuid(),
      externalTenantId: client.externalTenantId,
      clientId: client.id,
      fullName,
      homeAddress,
      dateOfBirth,
      dateCreated: isoNow(ctx),
      notifiedCaseIds: notified,
    };
    return created(client.kyc);
  };

  const listCaseChats: Handler = (ctx) => ok(partnerCase(ctx, ctx.params.caseId!).record.chats);

  return {
    mintToken,
    createClient,
    listClients,
    getClient,
    listPartnerCases,
    uploadPartnerCaseFile,
    submitKycVerification,
    listCaseChats,
    ...subscriptionHandlers(rt, {
      owner: () => 'partner',
      events: PARTNER_EVENTS,
      names: { create: 'createPartnerWebhook', list: 'listPartnerWebhooks', remove: 'deletePartnerWebhook' },
      samplePayload: (ctx) => {
        const world = worldOf(ctx.account);
        const record = [...world.cases.values()].at(-1);
        return record
          ? rt.outgoing(
              casePayload(
                rt.eventId(ctx.ids),
                'case.updated',
                record,
                world.clients.get(record.clientId)!.externalTenantId,
                isoNow(ctx),
              ),
            )
          : { event: 'webhook.test' };
      },
    }),
  };
}
