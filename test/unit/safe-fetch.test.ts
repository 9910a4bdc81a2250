// The outbound path (src/infra/safe-fetch.ts) against real servers on loopback: which addresses are refused, how
// redirects are followed, what headers survive them, and that a connection goes to the address that was checked.
import http from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import {
  assertPublicUrl,
  guardedAgents,
  isPrivateAddress,
  safeRequest,
  SafeFetchError,
  type SafeRequestOptions,
} from '../../src/infra/safe-fetch.js';
import { embedRemote, EmbeddingRequestError } from '../../src/modules/embedmodels/remote-embedder.js';
import {
  embeddingsHandler,
  listen,
  OTHER_PUBLIC_HOST,
  PRIVATE_HOST,
  PUBLIC_HOST,
  redirectTo,
  testGuard,
  twinListeners,
  type Listener,
} from '../support/outbound.js';

describe('isPrivateAddress', () => {
  const blocked = [
    // IPv4
    '0.0.0.0', '10.1.2.3', '100.64.0.1', '127.0.0.1', '127.255.255.254', '169.254.169.254', '172.16.0.1', '172.31.255.255',
    '192.0.0.8', '192.0.2.1', '192.88.99.1', '192.168.1.1', '198.18.0.1', '198.51.100.7', '203.0.113.9', '224.0.0.1', '240.0.0.1',
    '255.255.255.255',
    // IPv6 ranges
    '::', '::1', 'fc00::1', 'fd12:3456::1', 'fe80::1', 'fe80::1%eth0', 'febf::1', 'fec0::1', 'feff::1', 'ff02::1', '100::1',
    '2001:db8::1', '2001:2::1', '3fff::1',
    // IPv4-mapped, dotted and hex, and IPv4-translated
    '::ffff:127.0.0.1', '::ffff:7f00:1', '::ffff:a9fe:a9fe', '::FFFF:10.0.0.1', '0:0:0:0:0:ffff:7f00:1', '::ffff:0:7f00:1',
    // IPv4-compatible (deprecated): all of ::/96
    '::7f00:1', '::127.0.0.1', '::a00:1', '::808:808',
    // NAT64, well-known and local-use (at the /96 and /48 positions)
    '64:ff9b::7f00:1', '64:ff9b::127.0.0.1', '64:ff9b::a9fe:a9fe', '64:ff9b:1::a00:1', '64:ff9b:1:7f00:0:100::', '64:ff9b:1::', '64:ff9b:1::808:808', '64:ff9b:1:808:8:800::',
    // 6to4: IPv4 in bits 16–47
    '2002:7f00:1::', '2002:a9fe:a9fe::1', '2002:c0a8:101::1',
    // Teredo: client 127.0.0.1 (inverted in the last 32 bits), or a private server address
    '2001:0:4136:e378:8000:63bf:80ff:fffe', '2001:0:a00:1::1',
    // brackets as in URLs
    '[::1]', '[::ffff:169.254.169.254]',
    // not an address at all
    'not-an-ip', '', '1.2.3', '999.1.1.1',
  ];
  const allowed = [
    '8.8.8.8', '1.1.1.1', '172.32.0.1', '100.128.0.1', '2606:4700::1111', '2001:4860:4860::8888', '[2606:4700::1111]',
    '::ffff:8.8.8.8', '::ffff:808:808', '64:ff9b::808:808', '64:ff9b::8.8.8.8',
    '2002:808:808::1', '2001:0:4136:e378:8000:63bf:f7f7:f7f7',
  ];

  it.each(blocked)('refuses %s', (address) => expect(isPrivateAddress(address)).toBe(true));
  it.each(allowed)('allows %s', (address) => expect(isPrivateAddress(address)).toBe(false));
});

describe('assertPublicUrl', () => {
  it.each([
    'http://[::ffff:169.254.169.254]/latest/meta-data',
    'http://[::ffff:7f00:1]/',
    'http://[64:ff9b::7f00:1]/',
    'http://[2002:7f00:1::]/',
    'http://[fec0::1]/',
    'http://2130706433/', // 127.0.0.1 as one number
    'http://0x7f.1/',
    'http://localhost/',
  ])('refuses %s', async (url) => {
    await expect(assertPublicUrl(url, { allowPrivate: false })).rejects.toMatchObject({ kind: 'blocked', message: /private or local/ });
  });

  it('tells an unresolvable host from a refused one', async () => {
    await expect(assertPublicUrl('http://does-not-exist.invalid/', { allowPrivate: false })).rejects.toMatchObject({
      kind: 'dns',
      message: expect.stringMatching(/does-not-exist\.invalid cannot be resolved \((ENOTFOUND|EAI_AGAIN|EAI_FAIL|ESERVFAIL)\)/),
    });
    await expect(assertPublicUrl('ftp://example.com/', { allowPrivate: false })).rejects.toMatchObject({ kind: 'url' });
  });
});

describe('safeRequest', () => {
  const open: Listener[] = [];
  const track = async <T extends Listener | { pub: Listener; priv: Listener }>(value: Promise<T>): Promise<T> => {
    const listeners: Listener | { pub: Listener; priv: Listener } = await value;
    open.push(...('pub' in listeners ? [listeners.pub, listeners.priv] : [listeners]));
    return listeners as T;
  };
  afterEach(async () => {
    await Promise.all(open.splice(0).map((l) => l.close()));
  });

  const base = (overrides: Partial<SafeRequestOptions> = {}): SafeRequestOptions => ({
    allowPrivate: false,
    guard: testGuard(),
    timeoutMs: 10_000,
    maxRedirects: 5,
    ...overrides,
  });
  const failure = (promise: Promise<unknown>) =>
    promise.then(
      () => expect.unreachable('the request should have been refused'),
      (error: unknown) => {
        expect(error).toBeInstanceOf(SafeFetchError);
        return error as SafeFetchError;
      },
    );
  const post = { method: 'POST', headers: { authorization: 'Bearer sk-secret', 'content-type': 'application/json' }, body: '{"input":["x"]}' };

  it('refuses a 307 that would carry a POST and its key to a private address; the private listener sees nothing', async () => {
    const inside = await track(listen(PRIVATE_HOST));
    const outside = await track(listen(PUBLIC_HOST, redirectTo(307, `${inside.origin}/v1/embeddings`)));
    const error = await failure(safeRequest(`${outside.origin}/v1/embeddings`, base(post)));
    expect(error.kind).toBe('redirect');
    expect(outside.requests).toHaveLength(1);
    expect(inside.connections).toBe(0);
  });

  it('checks the address of every hop: a 302 to a private address is refused before connecting', async () => {
    const inside = await track(listen(PRIVATE_HOST));
    for (const target of [`${inside.origin}/x`, `http://localhost:${inside.port}/x`, `http://[::ffff:7f00:1]:${inside.port}/x`]) {
      const outside = await track(listen(PUBLIC_HOST, redirectTo(302, target)));
      const error = await failure(safeRequest(`${outside.origin}/`, base(post)));
      expect(error, target).toMatchObject({ kind: 'blocked', message: expect.stringMatching(/private or local address \(redirected to /) });
    }
    expect(inside.connections).toBe(0);
  });

  it('refuses redirects to other schemes and past the hop cap', async () => {
    const scheme = await track(listen(PUBLIC_HOST, redirectTo(302, 'file:///etc/passwd')));
    expect(await failure(safeRequest(scheme.origin, base()))).toMatchObject({ kind: 'redirect', message: /only http and https/ });
    const loop = await track(listen(PUBLIC_HOST, redirectTo(302, '/again')));
    expect(await failure(safeRequest(loop.origin, base({ maxRedirects: 2 })))).toMatchObject({ kind: 'redirect', message: 'more than 2 redirects' });
    expect(loop.requests).toHaveLength(3);
  });

  it('drops credentials at the first hop to another origin, and keeps them within one', async () => {
    const second = await track(listen(OTHER_PUBLIC_HOST));
    const first = await track(
      listen(PUBLIC_HOST, (request, res) =>
        request.url === '/start' ? redirectTo(307, '/same')(request, res) : redirectTo(307, `${second.origin}/there`)(request, res),
      ),
    );
    const headers = { authorization: 'Bearer sk-secret', cookie: 'session=1', 'X-Api-Key': 'k', 'proxy-authorization': 'Basic x', accept: 'text/plain' };
    const response = await safeRequest(`${first.origin}/start`, base({ headers, credentialHeaders: ['x-api-key'] }));
    response.body.resume();
    expect(response).toMatchObject({ status: 200, url: `${second.origin}/there` });
    expect(first.requests.map((r) => [r.url, r.headers.authorization, r.headers['x-api-key']])).toEqual([
      ['/start', 'Bearer sk-secret', 'k'],
      ['/same', 'Bearer sk-secret', 'k'],
    ]);
    const arrived = second.requests[0]!.headers;
    expect(arrived).toMatchObject({ accept: 'text/plain' });
    for (const name of ['authorization', 'cookie', 'x-api-key', 'proxy-authorization']) expect(arrived[name], name).toBeUndefined();
  });

  it('keeps a POST and its body across a same-origin 307/308, and turns it into a bodiless GET on 303', async () => {
    const target = await track(
      listen(PUBLIC_HOST, (request, res) => {
        if (request.url === '/307') return redirectTo(307, '/308')(request, res);
        if (request.url === '/308') return redirectTo(308, '/303')(request, res);
        if (request.url === '/303') return redirectTo(303, '/done')(request, res);
        res.end('done');
      }),
    );
    const response = await safeRequest(`${target.origin}/307`, base(post));
    response.body.resume();
    expect(target.requests.map((r) => [r.method, r.url, r.body, r.headers['content-type'] ?? null])).toEqual([
      ['POST', '/307', post.body, 'application/json'],
      ['POST', '/308', post.body, 'application/json'],
      ['POST', '/303', post.body, 'application/json'],
      ['GET', '/done', '', null],
    ]);
  });

  it('connects to the address it checked: a name that rebinds to a private address never reaches it', async () => {
    // The attacker's server closes the connection, so that the next request has to connect (and resolve) again.
    const { pub, priv } = await track(twinListeners((_req, res) => void res.writeHead(200, { connection: 'close' }).end('public')));
    const guard = testGuard({ 'rebind.test': [[PUBLIC_HOST], [PRIVATE_HOST]] });
    const first = await safeRequest(`http://rebind.test:${pub.port}/`, base({ guard, ...post }));
    first.body.resume();
    expect(first.status).toBe(200);
    expect(guard.lookups.get('rebind.test')).toBe(1); // one resolution per connection, none behind the check's back
    expect(pub.requests).toHaveLength(1);
    const second = await failure(safeRequest(`http://rebind.test:${pub.port}/`, base({ guard, ...post })));
    expect(second).toMatchObject({ kind: 'blocked', message: 'rebind.test resolves to a private or local address' });
    expect(priv.connections).toBe(0);
  });

  it('uses only the public addresses of a name that resolves to both', async () => {
    const { pub, priv } = await track(twinListeners((_req, res) => void res.end('public')));
    const guard = testGuard({ 'mixed.test': [PRIVATE_HOST, PUBLIC_HOST] });
    for (let i = 0; i < 3; i += 1) (await safeRequest(`http://mixed.test:${pub.port}/`, base({ guard }))).body.resume();
    expect(pub.requests).toHaveLength(3);
    expect(priv.connections).toBe(0);
  });

  it('reports a name that does not resolve as a dns failure', async () => {
    const error = await failure(safeRequest('http://does-not-exist.invalid/', base({ guard: undefined })));
    expect(error).toMatchObject({ kind: 'dns', transient: true, message: expect.stringMatching(/^does-not-exist\.invalid cannot be resolved/) });
  });

  it('pins the S3 agents too: IP literals and rebinding names', async () => {
    const { pub, priv } = await track(twinListeners((_req, res) => void res.end('public')));
    const guard = testGuard({ 'bucket.test': [[PUBLIC_HOST], [PRIVATE_HOST]] });
    const { httpAgent } = guardedAgents({ allowPrivate: false, guard });
    const get = (url: string) =>
      new Promise<number>((resolve, reject) => {
        http.get(url, { agent: httpAgent }, (res) => (res.resume(), resolve(res.statusCode ?? 0))).on('error', reject);
      });
    try {
      expect(await get(`http://bucket.test:${pub.port}/`)).toBe(200);
      httpAgent.destroy(); // no kept-alive socket: the next request connects again
      await expect(get(`http://bucket.test:${pub.port}/`)).rejects.toMatchObject({ kind: 'blocked' });
      await expect(get(`http://${PRIVATE_HOST}:${priv.port}/`)).rejects.toMatchObject({ kind: 'blocked' });
      expect(priv.connections).toBe(0);
    } finally {
      httpAgent.destroy();
    }
  });

  it('embedRemote refuses a redirect of its key to a private listener, permanently', async () => {
    const inside = await track(listen(PRIVATE_HOST, embeddingsHandler(8)));
    const outside = await track(listen(PUBLIC_HOST, redirectTo(307, `${inside.origin}/v1/embeddings`)));
    const error = await embedRemote(
      { baseUrl: `${outside.origin}/v1`, model: 'm', apiKey: 'sk-test', dimensions: 8, batchSize: 4 },
      ['a', 'b'],
      { allowPrivate: false, maxRedirects: 5, guard: testGuard() },
      { maxAttempts: 3, baseDelayMs: 1 },
    ).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(inside.requests).toEqual([]);
    expect(inside.connections).toBe(0);
    expect(error).toBeInstanceOf(EmbeddingRequestError);
    expect(error).toMatchObject({ retryable: false, outbound: 'redirect', message: expect.stringMatching(/^embedding service request refused: /) });
    expect(outside.requests).toHaveLength(1); // not retried
  });
});
