// The one path for HTTP that leaves the server towards a URL someone else chose: contentUrl, the web and S3
// crawlers, remote embedding models (and later webhooks). DOCSTORE_ALLOW_PRIVATE_URLS (`allowPrivate`) is the only
// switch; everything below holds whatever the caller asks for.
//
// - Addresses are checked where the connection is made: each connection resolves its host once, drops the
//   addresses src/infra/address-ranges.ts refuses, and connects to exactly the addresses it checked (the socket's
//   lookup replays them; nothing is resolved a second time), so DNS rebinding cannot slip past the check. IP
//   literals are checked the same way. Connections are kept alive per policy; a reused one is one that was
//   checked. The S3 SDK gets the same connections through `guardedAgents`.
// - Redirects are followed by hand, at most `maxRedirects` of them, each hop's scheme (http, https) and address
//   checked again. 301/302/303 continue as GET without a body (HEAD stays HEAD). 307/308 keep the method and the
//   body within the same origin; to another origin they are refused unless the request is a bodiless GET or HEAD:
//   a body meant for one service is never replayed to a host its caller did not name, and a silent downgrade to GET
//   would hand the caller an answer to a different question.
// - Credentials do not cross origins: at the first hop to another origin (scheme, host or port differs)
//   Authorization, Cookie, Proxy-Authorization and the caller's `credentialHeaders` are dropped for good.
// - Failures are SafeFetchError with a `kind`: a name that does not resolve is 'dns' (never an unexplained crash).
import dns from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import { pipeline, Transform, type Duplex, type Readable } from 'node:stream';
import { isPrivateAddress } from './address-ranges.js';

export { isPrivateAddress } from './address-ranges.js';

/**
 * How host names resolve and which addresses are refused. The defaults (dns.lookup, isPrivateAddress) are the
 * production behaviour; tests, whose servers all listen on loopback, substitute their own classification.
 */
export interface AddressGuard {
  resolve(hostname: string): Promise<dns.LookupAddress[]>;
  isPrivate(address: string): boolean;
}

const systemGuard: AddressGuard = {
  resolve: (hostname) => dns.promises.lookup(hostname, { all: true }),
  isPrivate: isPrivateAddress,
};

export interface OutboundPolicy {
  /** DOCSTORE_ALLOW_PRIVATE_URLS. */
  allowPrivate: boolean;
  /** Tests only; production uses the system resolver and isPrivateAddress. */
  guard?: AddressGuard;
}

export interface SafeRequestOptions extends OutboundPolicy {
  method?: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
  /** For the whole exchange: every hop, and reading the body. */
  timeoutMs: number;
  maxRedirects: number;
  userAgent?: string;
  /** Headers besides Authorization, Cookie and Proxy-Authorization that carry a secret (e.g. `x-api-key`). */
  credentialHeaders?: string[];
  /** The body stream fails with a 'too-large' SafeFetchError past this many bytes. */
  maxBodyBytes?: number;
}

export type SafeFetchOptions = Omit<SafeRequestOptions, 'method' | 'body'>;

export interface SafeResponse {
  /** The URL that answered, after redirects. */
  url: string;
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Readable;
}

/**
 * - url: not a URL, or not http/https
 * - blocked: the host is (or resolves only to) a refused address
 * - dns: the host name does not resolve
 * - redirect: too many redirects, or one that may not be followed
 * - timeout, network: the exchange did not complete
 * - too-large: the body passed `maxBodyBytes`
 */
export type SafeFetchFailure = 'url' | 'blocked' | 'dns' | 'redirect' | 'timeout' | 'network' | 'too-large';

export class SafeFetchError extends Error {
  constructor(
    message: string,
    readonly kind: SafeFetchFailure = 'network',
  ) {
    super(message);
    this.name = 'SafeFetchError';
  }

  /** Trying again later may succeed (the network, DNS), as opposed to a refusal or a bad URL. */
  get transient(): boolean {
    return this.kind === 'dns' || this.kind === 'timeout' || this.kind === 'network';
  }
}

const stripBrackets = (host: string) => host.replace(/^\[|\]$/g, '');

/** Resolves once and keeps the addresses that may be reached; refuses when none may. */
async function checkedAddresses(hostname: string, policy: OutboundPolicy): Promise<dns.LookupAddress[]> {
  const guard = policy.guard ?? systemGuard;
  const host = stripBrackets(hostname);
  const family = net.isIP(host);
  let addresses: dns.LookupAddress[];
  if (family) {
    addresses = [{ address: host, family }];
  } else {
    try {
      addresses = await guard.resolve(host);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
      throw new SafeFetchError(`${host} cannot be resolved (${code})`, 'dns');
    }
    if (addresses.length === 0) throw new SafeFetchError(`${host} cannot be resolved (no addresses)`, 'dns');
  }
  if (policy.allowPrivate) return addresses;
  const allowed = addresses.filter((a) => !guard.isPrivate(a.address));
  if (allowed.length === 0) {
    throw new SafeFetchError(`${host} ${family ? 'is' : 'resolves to'} a private or local address`, 'blocked');
  }
  return allowed;
}

/** A socket lookup that answers with addresses already checked, and never asks DNS. */
function replay(addresses: dns.LookupAddress[]): net.LookupFunction {
  return (hostname, options, callback) => {
    const wanted = options.family === 4 || options.family === 6 ? addresses.filter((a) => a.family === options.family) : addresses;
    if (wanted.length === 0) {
      const error = new SafeFetchError(`${hostname} has no IPv${options.family} address that may be reached`, 'blocked');
      return callback(error, '', 4);
    }
    if (options.all) return (callback as unknown as (e: null, all: dns.LookupAddress[]) => void)(null, wanted);
    callback(null, wanted[0]!.address, wanted[0]!.family);
  };
}

/** Resolves and checks `options.host`, then lets `connect` open the socket pinned to the checked addresses. */
function pinnedConnection(
  options: http.ClientRequestArgs,
  policy: OutboundPolicy,
  connect: (options: http.ClientRequestArgs) => Duplex | null | undefined,
  callback: ((error: Error | null, stream: Duplex) => void) | undefined,
): undefined {
  const done = callback ?? (() => undefined);
  checkedAddresses(options.host ?? options.hostname ?? 'localhost', policy).then(
    (addresses) => {
      let socket: Duplex | null | undefined;
      try {
        socket = connect({ ...options, lookup: replay(addresses) });
      } catch (error) {
        return done(error as Error, undefined as never);
      }
      if (!socket) return done(new SafeFetchError('no connection could be opened'), undefined as never);
      done(null, socket);
    },
    (error: Error) => done(error, undefined as never),
  );
  return undefined;
}

class GuardedHttpAgent extends http.Agent {
  constructor(
    private readonly policy: OutboundPolicy,
    options?: http.AgentOptions,
  ) {
    super(options);
  }

  override createConnection(options: http.ClientRequestArgs, callback?: (error: Error | null, stream: Duplex) => void) {
    return pinnedConnection(options, this.policy, (pinned) => super.createConnection(pinned), callback);
  }
}

class GuardedHttpsAgent extends https.Agent {
  constructor(
    private readonly policy: OutboundPolicy,
    options?: https.AgentOptions,
  ) {
    super(options);
  }

  override createConnection(options: https.RequestOptions, callback?: (error: Error | null, stream: Duplex) => void) {
    return pinnedConnection(options, this.policy, (pinned) => super.createConnection(pinned), callback);
  }
}

/** HTTP agents whose every connection is checked and pinned, for clients that take agents (the S3 SDK). */
export function guardedAgents(policy: OutboundPolicy): { httpAgent: http.Agent; httpsAgent: https.Agent } {
  return { httpAgent: new GuardedHttpAgent(policy, { keepAlive: true }), httpsAgent: new GuardedHttpsAgent(policy, { keepAlive: true }) };
}

function parseUrl(rawUrl: string, base?: URL): URL {
  let url: URL;
  try {
    url = new URL(rawUrl, base);
  } catch {
    throw new SafeFetchError(base ? `${base.href} redirected to an invalid URL` : 'not a valid URL', base ? 'redirect' : 'url');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new SafeFetchError(`only http and https URLs can be fetched, not ${url.protocol}`, base ? 'redirect' : 'url');
  }
  return url;
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);
const ALWAYS_CREDENTIALS = ['authorization', 'cookie', 'proxy-authorization'];
const BODY_HEADERS = ['content-type', 'content-length', 'content-encoding', 'content-language', 'content-location', 'transfer-encoding'];

/**
 * Kept-alive connections, one pool per policy: a reused socket is one that was checked when it was opened, so
 * reuse skips no check (a name that rebinds meanwhile is resolved again only for a new connection, and checked).
 */
const pools = new WeakMap<AddressGuard, Map<boolean, { httpAgent: http.Agent; httpsAgent: https.Agent }>>();

function pooledAgents(policy: OutboundPolicy) {
  const guard = policy.guard ?? systemGuard;
  let byMode = pools.get(guard);
  if (!byMode) pools.set(guard, (byMode = new Map()));
  let agents = byMode.get(policy.allowPrivate);
  if (!agents) byMode.set(policy.allowPrivate, (agents = guardedAgents({ allowPrivate: policy.allowPrivate, guard })));
  return agents;
}

function send(url: URL, method: string, headers: Record<string, string>, body: string | Buffer | undefined, policy: OutboundPolicy, signal: AbortSignal) {
  const secure = url.protocol === 'https:';
  const { httpAgent, httpsAgent } = pooledAgents(policy);
  const agent = secure ? httpsAgent : httpAgent;
  return new Promise<http.IncomingMessage>((resolve, reject) => {
    const request = (secure ? https : http).request(url, {
      method,
      agent,
      signal,
      headers: body === undefined ? headers : { ...headers, 'content-length': String(Buffer.byteLength(body)) },
    });
    request.on('response', resolve);
    request.on('error', reject);
    request.end(body);
  });
}

function limited(body: Readable, maxBytes: number, label: string): Readable {
  let size = 0;
  const meter = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      size += chunk.length;
      if (size > maxBytes) return done(new SafeFetchError(`${label} answered more than ${maxBytes} bytes`, 'too-large'));
      done(null, chunk);
    },
  });
  return pipeline(body, meter, () => undefined);
}

/**
 * An HTTP exchange with a URL someone else chose, under the rules at the top of this file. The caller consumes or
 * destroys the body.
 */
export async function safeRequest(rawUrl: string, options: SafeRequestOptions): Promise<SafeResponse> {
  let url = parseUrl(rawUrl);
  const signal = AbortSignal.timeout(options.timeoutMs);
  let method = (options.method ?? 'GET').toUpperCase();
  let body = options.body;
  const headers: Record<string, string> = { 'user-agent': options.userAgent ?? 'Docstore/0.1' };
  for (const [name, value] of Object.entries(options.headers ?? {})) headers[name.toLowerCase()] = value;
  const credentials = [...ALWAYS_CREDENTIALS, ...(options.credentialHeaders ?? []).map((h) => h.toLowerCase())];
  for (let hop = 0; ; hop += 1) {
    let response: http.IncomingMessage;
    try {
      response = await send(url, method, headers, body, options, signal);
    } catch (error) {
      const where = hop > 0 ? ` (redirected to ${url.href})` : '';
      if (error instanceof SafeFetchError) {
        throw hop > 0 ? new SafeFetchError(`${error.message}${where}`, error.kind) : error;
      }
      if (signal.aborted) throw new SafeFetchError(`could not fetch ${url.href}: timed out after ${options.timeoutMs} ms`, 'timeout');
      throw new SafeFetchError(`could not fetch ${url.href}: ${(error as Error).message}`, 'network');
    }
    const status = response.statusCode ?? 0;
    const location = response.headers.location;
    if (!REDIRECTS.has(status) || !location) {
      const answer = options.maxBodyBytes === undefined ? response : limited(response, options.maxBodyBytes, url.origin);
      return { url: url.href, status, headers: response.headers, body: answer };
    }
    response.resume();
    if (hop >= options.maxRedirects) throw new SafeFetchError(`more than ${options.maxRedirects} redirects`, 'redirect');
    const next = parseUrl(location, url);
    const crossOrigin = next.origin !== url.origin;
    if (status === 307 || status === 308) {
      if (crossOrigin && (body !== undefined || (method !== 'GET' && method !== 'HEAD'))) {
        throw new SafeFetchError(`${url.href} redirected a ${method} to another origin (${next.origin}); not followed`, 'redirect');
      }
    } else if (method !== 'GET' && method !== 'HEAD') {
      method = 'GET';
      body = undefined;
      for (const name of BODY_HEADERS) delete headers[name];
    }
    if (crossOrigin) for (const name of credentials) delete headers[name];
    url = next;
  }
}

/** GET under the same rules. */
export function safeFetch(rawUrl: string, options: SafeFetchOptions): Promise<SafeResponse> {
  return safeRequest(rawUrl, { ...options, method: 'GET' });
}

/**
 * For input validation (a crawler's start URLs, an S3 endpoint): a URL that would be refused at connect time today
 * is refused up front. Not a substitute for the connect-time check, which is what protects.
 */
export async function assertPublicUrl(rawUrl: string, policy: OutboundPolicy): Promise<URL> {
  const url = parseUrl(rawUrl);
  if (!policy.allowPrivate) await checkedAddresses(url.hostname, policy);
  return url;
}
