import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { graphql } from './gql/index.js';
import { createTenant, type TenantFixture } from './support/fixtures.js';
import { ok, payload, sha256, startTestApp, type TestApp } from './support/harness.js';

const Create = graphql(`
  mutation RaceCreate($content: String!, $name: String!) {
    createFile(input: { name: $name, content: $content }) {
      __typename
      ... on CreateFilePayload { deduplicated file { id } }
    }
  }
`);

const Version = graphql(`
  mutation RaceVersion($fileId: ID!, $content: String!) {
    createFileVersion(input: { fileId: $fileId, content: $content }) {
      __typename
      ... on CreateFileVersionPayload { version { number } }
    }
  }
`);

let t: TestApp;
let a: TenantFixture;
beforeAll(async () => {
  t = await startTestApp({ env: { DATABASE_POOL_SIZE: '8' } });
  a = await createTenant(t, 'race');
});
afterAll(async () => t?.close());

describe('concurrent writers', () => {
  it('turn the same bytes into exactly one file and one blob', async () => {
    const results = await Promise.all(
      Array.from({ length: 8 }, (_, i) => t.gql(Create, { content: 'raced content', name: `race-${i}.txt` }, a.key)),
    );
    const payloads = results.map((r) => payload(ok(r).createFile, 'CreateFilePayload'));
    expect(new Set(payloads.map((p) => p.file.id)).size).toBe(1);
    expect(payloads.filter((p) => !p.deduplicated)).toHaveLength(1);
    expect(await t.app.db.prisma.blob.count({ where: { sha256: sha256('raced content') } })).toBe(1);
    expect(await t.app.db.prisma.file.count({ where: { name: { startsWith: 'race-' } } })).toBe(1);
  });

  it('also when the bytes are already stored, as an older version of another file', async () => {
    // The blob exists (kept by version 1 of "holder"), so inserting it serialises nothing: only the content lock does.
    const holder = payload(ok(await t.gql(Create, { content: 'old bytes', name: 'holder.txt' }, a.key)).createFile, 'CreateFilePayload');
    ok(await t.gql(Version, { fileId: holder.file.id, content: 'new bytes' }, a.key));
    const results = await Promise.all(
      Array.from({ length: 8 }, (_, i) => t.gql(Create, { content: 'old bytes', name: `again-${i}.txt` }, a.key)),
    );
    const payloads = results.map((r) => payload(ok(r).createFile, 'CreateFilePayload'));
    expect(new Set(payloads.map((p) => p.file.id)).size).toBe(1);
    expect(await t.app.db.prisma.file.count({ where: { name: { startsWith: 'again-' } } })).toBe(1);
  });

  it('give concurrent versions of one file consecutive numbers', async () => {
    const file = payload(ok(await t.gql(Create, { content: 'v0', name: 'versions.txt' }, a.key)).createFile, 'CreateFilePayload');
    const results = await Promise.all(
      Array.from({ length: 6 }, (_, i) => t.gql(Version, { fileId: file.file.id, content: `v${i + 1}` }, a.key)),
    );
    const numbers = results.map((r) => payload(ok(r).createFileVersion, 'CreateFileVersionPayload').version.number);
    expect(numbers.sort((x, y) => x - y)).toEqual([2, 3, 4, 5, 6, 7]);
    const versions = await t.app.db.prisma.fileVersion.findMany({
      where: { file: { name: 'versions.txt' } },
      orderBy: { number: 'asc' },
      select: { id: true, number: true, previousVersionId: true },
    });
    // Each version links to the one before it: one unbroken chain.
    for (let i = 1; i < versions.length; i += 1) expect(versions[i]!.previousVersionId).toBe(versions[i - 1]!.id);
  });
});
