// Outbound HTTP for user-supplied URLs (contentUrl, later crawlers): size cap, timeout, redirect cap, and no
// private, loopback or link-local destinations unless allowed. The address checked is the address connected to
// (custom DNS lookup), so DNS rebinding cannot slip past the check.
import dns from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import type { Readable } from 'node:stream';

export interface SafeFetchOptions {
  allowPrivate: boolean;
  timeoutMs: number;
  maxRedirects: number;
  headers?: Record<string, string>;
  userAgent?: string;
}

export interface SafeResponse {
  url: string;
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Readable;
}

export class SafeFetchError extends Error {}

const blocked = new net.BlockList();
for (const [net4, prefix] of [
  ['0.0.0.0', 8], ['10.0.0.0', 8], ['100.64.0.0', 10], ['127.0.0.0', 8], ['169.254.0.0', 16], ['172.16.0.0', 12],
  ['192.0.0.0', 24], ['192.168.0.0', 16], ['198.18.0.0', 15], ['224.0.0.0', 4], ['240.0.0.0', 4],
] as const) {
  blocked.addSubnet(net4, prefix, 'ipv4');
}
for (const [net6, prefix] of [['::', 128], ['::1', 128], ['fc00::', 7], ['fe80::', 10], ['ff00::', 8]] as const) {
  blocked.addSubnet(net6, prefix, 'ipv6');
}

export function isPrivateAddress(address: string): boolean {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return blocked.check(mapped[1]!, 'ipv4');
  const family = net.isIPv4(address) ? 'ipv4' : net.isIPv6(address) ? 'ipv6' : undefined;
  return family ? blocked.check(address, family) : true;
}

function guardedLookup(allowPrivate: boolean): net.LookupFunction {
  return (hostname, options, callback) => {
    dns.lookup(hostname, { ...options, all: true }, (error, addresses) => {
      if (error) return callback(error, '', 4);
      const list = addresses as dns.LookupAddress[];
      const allowed = allowPrivate ? list : list.filter((a) => !isPrivateAddress(a.address));
      if (allowed.length === 0) {
        return callback(new SafeFetchError(`${hostname} resolves to a private or local address`), '', 4);
      }
      if ((options as dns.LookupOptions).all) return (callback as never as (e: null, a: dns.LookupAddress[]) => void)(null, allowed);
      callback(null, allowed[0]!.address, allowed[0]!.family);
    });
  };
}

function requestOnce(url: URL, options: SafeFetchOptions, signal: AbortSignal): Promise<http.IncomingMessage> {
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return Promise.reject(new SafeFetchError(`only http and https URLs can be fetched, not ${url.protocol}`));
  }
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (net.isIP(host) && !options.allowPrivate && isPrivateAddress(host)) {
    return Promise.reject(new SafeFetchError(`${host} is a private or local address`));
  }
  const client = url.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const req = client.get(url, {
      lookup: guardedLookup(options.allowPrivate),
      signal,
      headers: { 'user-agent': options.userAgent ?? 'Docstore/0.1', ...options.headers },
    });
    req.on('response', resolve);
    req.on('error', reject);
  });
}

function parseUrl(rawUrl: string): URL {
  try {
    return new URL(rawUrl);
  } catch {
    throw new SafeFetchError('not a valid URL');
  }
}

/** GET with redirects followed manually (each hop re-checked). The caller consumes or destroys the body. */
export async function safeFetch(rawUrl: string, options: SafeFetchOptions): Promise<SafeResponse> {
  let url = parseUrl(rawUrl);
  const signal = AbortSignal.timeout(options.timeoutMs);
  for (let hop = 0; ; hop += 1) {
    let response: http.IncomingMessage;
    try {
      response = await requestOnce(url, options, signal);
    } catch (error) {
      if (error instanceof SafeFetchError) throw error;
      const reason = signal.aborted ? `timed out after ${options.timeoutMs} ms` : (error as Error).message;
      throw new SafeFetchError(`could not fetch ${url.href}: ${reason}`);
    }
    const status = response.statusCode ?? 0;
    const location = response.headers.location;
    if (status >= 300 && status < 400 && location) {
      response.resume();
      if (hop >= options.maxRedirects) throw new SafeFetchError(`more than ${options.maxRedirects} redirects`);
      url = new URL(location, url);
      continue;
    }
    return { url: url.href, status, headers: response.headers, body: response };
  }
}

/** HTTP agents that refuse private destinations at connect time, for clients that take agents (the S3 SDK). */
export function guardedAgents(allowPrivate: boolean): { httpAgent: http.Agent; httpsAgent: https.Agent } {
  const lookup = guardedLookup(allowPrivate);
  return { httpAgent: new http.Agent({ lookup, keepAlive: true }), httpsAgent: new https.Agent({ lookup, keepAlive: true }) };
}

/** For clients that cannot take our lookup (fetch): refuses URLs whose host resolves to a private address. */
export async function assertPublicUrl(rawUrl: string, allowPrivate: boolean): Promise<URL> {
  const url = parseUrl(rawUrl);
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new SafeFetchError('only http and https URLs are allowed');
  if (allowPrivate) return url;
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const addresses = net.isIP(host) ? [host] : (await dns.promises.lookup(host, { all: true })).map((a) => a.address);
  if (addresses.some(isPrivateAddress)) throw new SafeFetchError(`${host} is a private or local address`);
  return url;
}
