import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.js';

describe('loadConfig', () => {
  it('defaults to the embedded mode with no configuration', () => {
    const config = loadConfig({});
    expect(config.mode).toBe('embedded');
    expect(config.http.port).toBe(4000);
    expect(config.database.kind).toBe('pglite');
    expect(config.blobs.kind).toBe('local');
    expect(config.http.publicUrl).toBe('http://localhost:4000');
    expect(Object.isFrozen(config.limits)).toBe(true);
  });

  it('selects server mode and S3 from the environment', () => {
    const config = loadConfig({
      DATABASE_URL: 'postgres://u@db/docstore',
      DOCSTORE_SECRET_KEY: 'k'.repeat(32),
      S3_BUCKET: 'docs',
      S3_ENDPOINT: 'http://minio:9000',
      S3_FORCE_PATH_STYLE: 'true',
      S3_ACCESS_KEY_ID: 'id',
      S3_SECRET_ACCESS_KEY: 'secret',
    });
    expect(config.mode).toBe('server');
    expect(config.blobs).toMatchObject({ kind: 's3', bucket: 'docs', forcePathStyle: true, credentials: { accessKeyId: 'id' } });
  });

  it('reports every problem at once', () => {
    let error: unknown;
    try {
      loadConfig({
        PORT: 'eighty',
        DATABASE_URL: 'mysql://x',
        S3_FORCE_PATH_STYLE: 'maybe',
        DOCSTORE_ADMIN_TOKEN: 'short',
        DOCSTORE_MAX_FILE_BYTES: '-5',
      });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems.join('\n');
    for (const key of ['PORT', 'DATABASE_URL', 'S3_FORCE_PATH_STYLE', 'DOCSTORE_ADMIN_TOKEN', 'DOCSTORE_MAX_FILE_BYTES']) {
      expect(problems).toContain(key);
    }
  });

  it('requires a shared secret key in server mode and S3 keys in pairs', () => {
    expect(() => loadConfig({ DATABASE_URL: 'postgres://x/y' })).toThrow(/DOCSTORE_SECRET_KEY/);
    expect(() => loadConfig({ S3_BUCKET: 'b', S3_ACCESS_KEY_ID: 'id' })).toThrow(/S3_SECRET_ACCESS_KEY/);
  });

  it('allows local pages cross-origin only in the embedded default, and configured origins otherwise', () => {
    expect(loadConfig({}).http.corsOrigins).toEqual(['http://localhost:*', 'http://127.0.0.1:*', 'http://[::1]:*']);
    expect(loadConfig({ DATABASE_URL: 'postgres://x/y', DOCSTORE_SECRET_KEY: 'k'.repeat(32) }).http.corsOrigins).toEqual([]);
    expect(loadConfig({ DOCSTORE_CORS_ORIGINS: 'https://App.example, http://localhost:*' }).http.corsOrigins).toEqual([
      'https://app.example',
      'http://localhost:*',
    ]);
    expect(loadConfig({ DOCSTORE_CORS_ORIGINS: 'none' }).http.corsOrigins).toEqual([]);
    expect(() => loadConfig({ DOCSTORE_CORS_ORIGINS: 'https://app.example/path' })).toThrow(/DOCSTORE_CORS_ORIGINS/);
  });

  it('has abuse limits generous enough for a busy client, each configurable', () => {
    const config = loadConfig({});
    expect(config.rateLimits).toEqual({ perKey: { perSecond: 50, burst: 200 }, authFailuresPerMinute: 10 });
    expect(config.subscriptions).toEqual({ maxPerConnection: 100, maxPerTenant: 1000 });
    expect(config.graphql.introspection).toBe(true);
    expect(loadConfig({ DOCSTORE_INTROSPECTION: 'false', DOCSTORE_RATE_LIMIT_PER_KEY: '0' })).toMatchObject({
      graphql: { introspection: false },
      rateLimits: { perKey: { perSecond: 0 } },
    });
  });

  it('treats empty variables as unset', () => {
    expect(loadConfig({ DATABASE_URL: '', PORT: '' }).mode).toBe('embedded');
  });
});
