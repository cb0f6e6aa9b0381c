// The address classifier from a corpus (every form, both sides of each range's edge), and the
// checked sender against receivers on 127.0.0.1 (a classifier that lets 127.0.0.1 through stands
// for "public", so no test sends anything off loopback).
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiError } from '../errors.js';
import {
  BLOCKED_CODE,
  checkedSend,
  classifyAddress,
  classifyHost,
  createWebhookUrlGuard,
  type BlockedRange,
} from './url-guard.js';

const CORPUS: ReadonlyArray<readonly [string, BlockedRange | null]> = [
  // loopback
  ['127.0.0.1', 'loopback'],
  ['127.255.255.255', 'loopback'],
  ['126.255.255.255', null],
  ['128.0.0.0', null],
  ['::1', 'loopback'],
  ['::2', 'unspecified'],
  ['[::1]', 'loopback'],
  // unspecified ("this network")
  ['0.0.0.0', 'unspecified'],
  ['0.255.255.255', 'unspecified'],
  ['1.0.0.0', null],
  ['::', 'unspecified'],
  // RFC 1918
  ['10.0.0.0', 'private'],
  ['10.255.255.255', 'private'],
  ['9.255.255.255', null],
  ['11.0.0.0', null],
  ['172.16.0.0', 'private'],
  ['172.31.255.255', 'private'],
  ['172.15.255.255', null],
  ['172.32.0.0', null],
  ['192.168.0.0', 'private'],
  ['192.168.255.255', 'private'],
  ['192.167.255.255', null],
  ['192.169.0.0', null],
  // link-local and metadata
  ['169.254.0.1', 'link-local'],
  ['169.254.255.255', 'link-local'],
  ['169.253.255.255', null],
  ['169.255.0.0', null],
  ['169.254.169.254', 'metadata'],
  ['169.254.169.253', 'link-local'],
  ['169.254.170.2', 'metadata'],
  ['169.254.170.23', 'metadata'],
  ['fe80::1', 'link-local'],
  ['febf:ffff::1', 'link-local'],
  ['fe7f::1', null],
  ['fec0::1', 'private'],
  ['fe80::1%eth0', 'link-local'],
  ['fd00:ec2::254', 'metadata'],
  ['fd00:ec2::253', 'unique-local'],
  ['fd00:ec2::23', 'metadata'],
  // unique-local
  ['fc00::1', 'unique-local'],
  ['fdff:ffff:ffff::1', 'unique-local'],
  ['fbff:ffff::1', null],
  ['fe00::1', null],
  // CGNAT (Alibaba's metadata inside it)
  ['100.64.0.0', 'cgnat'],
  ['100.127.255.255', 'cgnat'],
  ['100.63.255.255', null],
  ['100.128.0.0', null],
  ['100.100.100.200', 'metadata'],
  // reserved and multicast
  ['224.0.0.1', 'reserved'],
  ['239.255.255.255', 'reserved'],
  ['223.255.255.255', null],
  ['255.255.255.255', 'reserved'],
  ['240.0.0.1', 'reserved'],
  ['192.0.0.8', 'reserved'],
  ['192.0.1.0', null],
  ['198.18.0.1', 'reserved'],
  ['198.20.0.0', null],
  ['ff02::1', 'reserved'],
  // IPv4 inside IPv6: mapped, compatible, NAT64, 6to4, Teredo
  ['::ffff:127.0.0.1', 'loopback'],
  ['::ffff:7f00:1', 'loopback'],
  ['0:0:0:0:0:ffff:a9fe:a9fe', 'metadata'],
  ['::ffff:8.8.8.8', null],
  ['::ffff:10.0.0.1', 'private'],
  ['::127.0.0.1', 'loopback'],
  ['::a00:1', 'private'],
  ['64:ff9b::192.168.1.1', 'private'],
  ['64:ff9b::8.8.8.8', null],
  ['2002:c0a8:0101::1', 'private'],
  ['2002:0808:0808::1', null],
  ['2001:0:4136:e378:8000:63bf:80ff:fffe', 'loopback'],
  ['2001:0:4136:e378:8000:63bf:f7f7:f7f7', null],
  // public
  ['8.8.8.8', null],
  ['93.184.215.14', null],
  ['2606:4700:4700::1111', null],
  ['2a00:1450:4001:80b::200e', null],
  // not an address
  ['example.com', null],
  ['', null],
];

describe('classifyAddress', () => {
  it.each(CORPUS)('%s → %s', (address, kind) => {
    expect(classifyAddress(address)).toBe(kind);
  });
});

describe('classifyHost', () => {
  it.each([
    // the forms a URL or inet_aton reads as IPv4
    ['2130706433', 'loopback'],
    ['0x7f000001', 'loopback'],
    ['0x7f.1', 'loopback'],
    ['0177.0.0.1', 'loopback'],
    ['017700000001', 'loopback'],
    ['127.1', 'loopback'],
    ['0', 'unspecified'],
    ['0x0a.0.0.1', 'private'],
    ['2852039166', 'metadata'],
    ['0xa9.0xfe.0xa9.0xfe', 'metadata'],
    ['134744072', null],
    ['0x08080808', null],
    // trailing dots and case
    ['127.0.0.1.', 'loopback'],
    ['LOCALHOST', 'loopback'],
    ['localhost.', 'loopback'],
    ['localhost..', 'loopback'],
    ['api.localhost', 'loopback'],
    ['metadata.google.internal', 'metadata'],
    ['METADATA.google.internal.', 'metadata'],
    ['metadata.goog', 'metadata'],
    ['metadata', 'metadata'],
    ['instance-data', 'metadata'],
    ['instance-data.ec2.internal', 'metadata'],
    // brackets
    ['[::1]', 'loopback'],
    ['[::ffff:7f00:1]', 'loopback'],
    ['[fd00:ec2::254]', 'metadata'],
    // names only DNS can tell about, and public addresses
    ['example.com', null],
    ['localhost.example.com', null],
    ['notmetadata.google.internal.example', null],
    ['8.8.8.8', null],
    ['[2606:4700:4700::1111]', null],
  ] as const)('%s → %s', (host, kind) => {
    expect(classifyHost(host)).toBe(kind);
  });
});

describe('the registration check', () => {
  const dns: Record<string, string[]> = {
    'receiver.test': ['127.0.0.1'],
    'split.test': ['8.8.8.8', '10.0.0.7'],
    'public.test': ['8.8.8.8'],
  };
  const guard = createWebhookUrlGuard({ blocking: true, resolve: async (host) => dns[host] ?? [] });
  const refused = async (url: string) => {
    try {
      await guard.check(url);
    } catch (error) {
      expect(error).toBeInstanceOf(ApiError);
      expect((error as ApiError).status).toBe(400);
      expect((error as ApiError).param).toBe('url');
      return (error as ApiError).message;
    }
    return undefined;
  };

  it('refuses literal forms at once, without DNS', async () => {
    for (const url of [
      'http://169.254.169.254/latest/meta-data',
      'http://2130706433:4000/',
      'http://0x7f.1/',
      'http://user:pw@127.0.0.1/',
      'http://[::ffff:127.0.0.1]/',
      'https://metadata.google.internal./',
      'http://localhost./',
      'http://0.0.0.0:80/',
      'http://100.64.1.1/',
      'http://[fc00::5]/',
    ]) {
      expect(() => guard.check(url), url).toThrow(ApiError);
    }
    expect(await refused('http://192.168.1.10/')).toMatch(/192\.168\.1\.10 is a private/);
  });

  it('refuses a name that resolves inside, without naming the address it resolved to', async () => {
    const message = await refused('http://receiver.test:4000/hooks');
    expect(message).toMatch(/resolves to a loopback address/);
    expect(message).not.toContain('127.0.0.1');
    expect(await refused('https://split.test/')).toMatch(/private/);
  });

  it('lets public addresses and names through, and names that do not resolve (the dial-time check still applies)', async () => {
    expect(guard.check('https://8.8.8.8/hooks')).toBeUndefined();
    expect(await refused('https://public.test/hooks')).toBeUndefined();
    expect(await refused('https://unknown.test/hooks')).toBeUndefined();
    // userinfo does not hide the host: this one is example.com's
    expect(await refused('https://169.254.169.254@public.test/')).toBeUndefined();
  });

  it('checks nothing when not blocking', () => {
    expect(createWebhookUrlGuard({ blocking: false }).check('http://127.0.0.1:1/')).toBeUndefined();
  });
});

describe('checkedSend', () => {
  const hits: string[] = [];
  let receiver: http.Server;
  let port: number;
  beforeAll(async () => {
    receiver = http.createServer((req, res) => {
      hits.push(`${req.method} ${req.url} ${req.headers.host} ${req.headers.authorization ?? ''}`);
      req.resume();
      if (req.url === '/redirect') res.writeHead(302, { Location: `http://127.0.0.1:${port}/landed` }).end();
      else if (req.url === '/broken') res.writeHead(500).end('internal detail: db at 10.1.2.3 refused');
      else res.writeHead(204).end();
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    port = (receiver.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>((resolve) => receiver.close(() => resolve())));

  // 127.0.0.1 stands for a public address here; 127.0.0.2 for a blocked one.
  const classify = (address: string) => (address === '127.0.0.1' ? null : ('private' as const));
  const names: Record<string, string[]> = {
    'receiver.test': ['127.0.0.1'],
    'inside.test': ['127.0.0.2'],
    'both.test': ['127.0.0.1', '127.0.0.2'],
  };
  const send = checkedSend(classify, async (host) => names[host] ?? []);

  it('dials the address its own resolver checked, and sends the body', async () => {
    hits.length = 0;
    const response = await send(`http://receiver.test:${port}/hooks?x=1`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: '{}',
    });
    expect(response.status).toBe(204);
    expect(hits).toEqual([`POST /hooks?x=1 receiver.test:${port} `]);
  });

  it('refuses a name that resolves to a blocked address, or to a mix, without dialling', async () => {
    hits.length = 0;
    for (const host of ['inside.test', 'both.test']) {
      await expect(send(`http://${host}:${port}/`, { method: 'POST', body: '{}' })).rejects.toMatchObject({
        code: BLOCKED_CODE,
      });
    }
    await expect(send(`http://127.0.0.2:${port}/`, { method: 'POST', body: '{}' })).rejects.toMatchObject({
      code: BLOCKED_CODE,
    });
    await expect(send(`http://localhost:${port}/`, { method: 'POST', body: '{}' })).rejects.toMatchObject({
      code: BLOCKED_CODE,
    });
    expect(hits).toEqual([]);
  });

  it('never follows a redirect', async () => {
    hits.length = 0;
    const response = await send(`http://receiver.test:${port}/redirect`, { method: 'POST', body: '{}' });
    expect(response.status).toBe(302);
    expect(hits).toEqual([`POST /redirect receiver.test:${port} `]);
  });

  it("reports failures as codes, never the target's text", async () => {
    const answer = await send(`http://receiver.test:${port}/broken`, { method: 'POST', body: '{}' });
    expect(answer.status).toBe(500);
    expect(await answer.text()).toBe('');
    const closed = await new Promise<number>((resolve) => {
      const s = http.createServer().listen(0, '127.0.0.1', () => {
        const p = (s.address() as AddressInfo).port;
        s.close(() => resolve(p));
      });
    });
    await expect(send(`http://receiver.test:${closed}/`, { method: 'POST', body: '{}' })).rejects.toEqual(
      expect.objectContaining({ code: 'ECONNREFUSED', message: 'ECONNREFUSED' }),
    );
    await expect(send(`http://nowhere.test:${port}/`, { method: 'POST', body: '{}' })).rejects.toMatchObject({
      code: 'ENOTFOUND',
    });
  });

  it('sends userinfo as basic authentication', async () => {
    hits.length = 0;
    await send(`http://me:s%20cret@receiver.test:${port}/auth`, { method: 'POST', body: '{}' });
    expect(hits).toEqual([`POST /auth receiver.test:${port} Basic ${Buffer.from('me:s cret').toString('base64')}`]);
  });
});
