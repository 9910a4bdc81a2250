// Request rate per API key and failed authentications per client address: in-process token buckets, answered with
// HTTP 429, `Retry-After` and a RATE_LIMITED error.
import { GraphQLError } from 'graphql';
import type { Config } from '../config.js';

/** Buckets forgotten beyond this many (full ones first, then the least recently used): memory stays bounded. */
const MAX_BUCKETS = 50_000;

/** Token buckets by key: each holds up to `capacity` tokens and refills at `perSecond`. */
export class TokenBuckets {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  constructor(
    private readonly perSecond: number,
    private readonly capacity: number,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** Seconds until `key` has a token again; 0 when it has one now. */
  wait(key: string): number {
    const tokens = this.level(key);
    return tokens >= 1 ? 0 : Math.max(1, Math.ceil((1 - tokens) / this.perSecond));
  }

  /** Takes a token if there is one; returns the seconds to wait otherwise (see wait). */
  take(key: string): number {
    const wait = this.wait(key);
    if (wait === 0) this.buckets.get(key)!.tokens -= 1;
    return wait;
  }

  /** Removes a token even when the bucket is empty (a failure that happened anyway). */
  spend(key: string): void {
    this.level(key);
    const bucket = this.buckets.get(key)!;
    bucket.tokens = Math.max(0, bucket.tokens - 1);
  }

  private level(key: string): number {
    const now = this.now();
    let bucket = this.buckets.get(key);
    if (bucket) {
      this.buckets.delete(key); // re-inserted below: the map stays in least-recently-used order
      bucket.tokens = Math.min(this.capacity, bucket.tokens + ((now - bucket.at) / 1000) * this.perSecond);
      bucket.at = now;
    } else {
      bucket = { tokens: this.capacity, at: now };
      this.prune(now);
    }
    this.buckets.set(key, bucket);
    return bucket.tokens;
  }

  private prune(now: number): void {
    if (this.buckets.size < MAX_BUCKETS) return;
    for (const [key, bucket] of this.buckets) {
      if (bucket.tokens + ((now - bucket.at) / 1000) * this.perSecond >= this.capacity) this.buckets.delete(key);
    }
    for (const key of this.buckets.keys()) {
      if (this.buckets.size < MAX_BUCKETS) break;
      this.buckets.delete(key);
    }
  }
}

export function rateLimitedError(message: string, retryAfterSeconds: number): GraphQLError {
  return new GraphQLError(message, {
    extensions: {
      code: 'RATE_LIMITED',
      retryAfterSeconds,
      http: { status: 429, headers: { 'Retry-After': String(retryAfterSeconds) } },
    },
  });
}

/** The limits one process applies; `undefined` buckets mean the limit is off. */
export class RequestLimits {
  private readonly perKey: TokenBuckets | undefined;
  private readonly authFailures: TokenBuckets | undefined;

  constructor(config: Config['rateLimits']) {
    const { perSecond, burst } = config.perKey;
    this.perKey = perSecond > 0 ? new TokenBuckets(perSecond, burst) : undefined;
    const failures = config.authFailuresPerMinute;
    this.authFailures = failures > 0 ? new TokenBuckets(failures / 60, failures) : undefined;
  }

  /** Counts one operation of an API key; throws RATE_LIMITED over the key's rate. */
  request(apiKeyId: string): void {
    const wait = this.perKey?.take(apiKeyId) ?? 0;
    if (wait) throw rateLimitedError(`Too many requests for this API key; retry in ${wait} s`, wait);
  }

  /**
   * Before checking a credential from `address`: throws RATE_LIMITED while the address has used up its failures, so
   * that no credential — right or wrong — is checked (and no guess confirmed) until it may try again.
   */
  assertMayAuthenticate(address: string): void {
    const wait = this.authFailures?.wait(address) ?? 0;
    if (wait) throw rateLimitedError(`Too many failed authentications from this address; retry in ${wait} s`, wait);
  }

  authenticationFailed(address: string): void {
    this.authFailures?.spend(address);
  }
}
