// Bearer tokens are kept in memory: at most 100 live ones per account (minting more revokes the
// oldest), and an evicted or reset account's tokens go with it.
import { expect, it } from 'vitest';
import { createIdMinter } from '../../engine/state/ids.js';
import { MAX_TOKENS_PER_ACCOUNT, TokenRegistry } from './tokens.js';
import type { DebituraClient } from './state.js';

const NOW = 1_795_564_800;
const client = { id: 'cl_1', externalTenantId: 'tenant-1' } as DebituraClient;

it(`keeps at most ${MAX_TOKENS_PER_ACCOUNT} tokens per account, revoking the oldest; forget() drops an account's`, () => {
  const tokens = new TokenRegistry(createIdMinter('tokens'), {
    accountKey: 'debitura:docs',
    externalTenantId: 'docs-tenant',
  });
  const minted = Array.from({ length: 250 }, () => tokens.mint('debitura:partner_a', client, NOW).accessToken);
  const other = tokens.mint('debitura:partner_b', client, NOW).accessToken;
  expect(tokens.size).toBe(MAX_TOKENS_PER_ACCOUNT + 1);
  expect(tokens.check(minted[0]!, NOW)).toBeUndefined();
  expect(tokens.check(minted.at(-MAX_TOKENS_PER_ACCOUNT - 1)!, NOW)).toBeUndefined();
  expect(tokens.check(minted.at(-MAX_TOKENS_PER_ACCOUNT)!, NOW)).toMatchObject({
    grant: { accountKey: 'debitura:partner_a' },
  });
  expect(tokens.check(minted.at(-1)!, NOW)).toMatchObject({ grant: { accountKey: 'debitura:partner_a' } });
  tokens.forget('debitura:partner_a');
  expect(tokens.size).toBe(1);
  expect(tokens.check(minted.at(-1)!, NOW)).toBeUndefined();
  expect(tokens.check(other, NOW)).toMatchObject({ grant: { accountKey: 'debitura:partner_b' } });
});
