import { describe, expect, it } from 'vitest';
import { originMatches } from './cors.js';

describe('originMatches', () => {
  it('matches exact origins, any port of a host with :*, and anything but the opaque origin with *', () => {
    expect(originMatches('https://app.example', 'https://app.example')).toBe(true);
    expect(originMatches('https://app.example', 'https://app.example:8443')).toBe(false);
    expect(originMatches('https://app.example', 'https://app.example.evil.example')).toBe(false);
    expect(originMatches('http://localhost:*', 'http://localhost:5173')).toBe(true);
    expect(originMatches('http://localhost:*', 'http://localhost')).toBe(true);
    expect(originMatches('http://localhost:*', 'http://localhost.evil.example')).toBe(false);
    expect(originMatches('http://localhost:*', 'http://localhost:5173.evil.example')).toBe(false);
    expect(originMatches('http://localhost:*', 'https://localhost:5173')).toBe(false);
    expect(originMatches('*', 'https://anywhere.example')).toBe(true);
    expect(originMatches('*', 'null')).toBe(false);
  });
});
