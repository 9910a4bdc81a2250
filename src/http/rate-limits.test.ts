import { describe, expect, it } from 'vitest';
import { RequestLimits, TokenBuckets } from './rate-limits.js';

describe('TokenBuckets', () => {
  it('allows a burst, then the rate, and says how long to wait', () => {
    let now = 0;
    const buckets = new TokenBuckets(2, 5, () => now);
    for (let i = 0; i < 5; i += 1) expect(buckets.take('k')).toBe(0);
    expect(buckets.take('k')).toBe(1);
    expect(buckets.take('other')).toBe(0);
    now += 500; // one token back
    expect(buckets.take('k')).toBe(0);
    expect(buckets.take('k')).toBe(1);
    now += 10_000;
    for (let i = 0; i < 5; i += 1) expect(buckets.take('k')).toBe(0); // never more than the burst
    expect(buckets.take('k')).toBe(1);
  });

  it('rounds waits up to whole seconds for slow rates', () => {
    let now = 0;
    const buckets = new TokenBuckets(3 / 60, 3, () => now);
    for (let i = 0; i < 3; i += 1) buckets.spend('ip');
    expect(buckets.wait('ip')).toBe(20);
    now += 19_000;
    expect(buckets.wait('ip')).toBe(1);
    now += 1_000;
    expect(buckets.wait('ip')).toBe(0);
  });
});

describe('RequestLimits', () => {
  it('refuses with RATE_LIMITED, a 429 and Retry-After; 0 turns a limit off', () => {
    const limits = new RequestLimits({ perKey: { perSecond: 1, burst: 1 }, authFailuresPerMinute: 1 });
    limits.request('key');
    const error = (() => {
      try {
        limits.request('key');
      } catch (e) {
        return e as { extensions: Record<string, unknown> };
      }
    })();
    expect(error?.extensions).toMatchObject({ code: 'RATE_LIMITED', http: { status: 429, headers: { 'Retry-After': '1' } } });
    limits.assertMayAuthenticate('10.0.0.1');
    limits.authenticationFailed('10.0.0.1');
    expect(() => limits.assertMayAuthenticate('10.0.0.1')).toThrow(/failed authentications/);
    expect(() => limits.assertMayAuthenticate('10.0.0.2')).not.toThrow();

    const off = new RequestLimits({ perKey: { perSecond: 0, burst: 1 }, authFailuresPerMinute: 0 });
    for (let i = 0; i < 1000; i += 1) off.request('key');
    for (let i = 0; i < 1000; i += 1) off.authenticationFailed('ip');
    expect(() => off.assertMayAuthenticate('ip')).not.toThrow();
  });
});
