import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { graphql } from './gql/index.js';
import { createTenant, type TenantFixture } from './support/fixtures.js';
import { ok, startTestApp, type TestApp } from './support/harness.js';

const ListDeep = graphql(`
  query ListDeep($first: Int) {
    files(first: $first) {
      edges {
        node {
          id name mimeType size downloadUrl
          tenant { id name }
          currentVersion { number previousVersion { number } }
          versions(first: 10) { edges { node { id number mimeType previousVersion { id } } } }
        }
      }
      pageInfo { hasNextPage }
    }
  }
`);

let t: TestApp;
let a: TenantFixture;

async function seed(count: number, offset = 0) {
  const { prisma } = t.app.db;
  const tenantId = Buffer.from(a.tenantId, 'base64').toString().split(':')[1]!;
  // Seeded straight through Prisma: this test is about reads, and 100 files through the API would only be slower.
  for (let i = offset; i < offset + count; i += 1) {
    const file = await prisma.file.create({ data: { tenantId, name: `f${i}.txt` } });
    const v1 = await prisma.fileVersion.create({
      data: { tenantId, fileId: file.id, number: 1, mimeType: 'text/plain', size: 1, sha256: `${i}`.padStart(64, 'a') },
    });
    const v2 = await prisma.fileVersion.create({
      data: { tenantId, fileId: file.id, number: 2, mimeType: 'text/markdown', size: 2, sha256: `${i}`.padStart(64, 'b'), previousVersionId: v1.id },
    });
    await prisma.file.update({ where: { id: file.id }, data: { currentVersionId: v2.id } });
  }
}

/**
 * Statements one request costs. The counter sees every Prisma statement of the process, and background work (a
 * job's lease renewal, a key lookup while the per-process caches are bypassed under load) can land in the window:
 * the least of three runs is the request's own cost — noise only ever adds.
 */
async function countStatements(first: number): Promise<{ statements: number; files: number }> {
  await t.gql(ListDeep, { first: 1 }, a.key); // settles the key's throttled lastUsedAt write
  const counter = t.app.db.statementCounter;
  let statements = Infinity;
  let files = 0;
  for (let run = 0; run < 3; run += 1) {
    const before = counter.count;
    const data = ok(await t.gql(ListDeep, { first }, a.key));
    statements = Math.min(statements, counter.count - before);
    files = data.files.edges.length;
  }
  return { statements, files };
}

beforeAll(async () => {
  t = await startTestApp();
  a = await createTenant(t, 'n-plus-one');
});
afterAll(async () => t?.close());

describe('query cost', () => {
  it('lists files with versions and tenant in a constant number of SQL statements', async () => {
    await seed(10);
    const small = await countStatements(10);
    expect(small.files).toBe(10);
    await seed(95, 10);
    const large = await countStatements(100);
    expect(large.files).toBe(100);
    expect(large.statements).toBe(small.statements);
    // Authentication plus one statement per relation level: a handful, not one per file.
    expect(large.statements).toBeLessThanOrEqual(8);
  });

  it('caps connections at 100 nodes', async () => {
    const data = ok(await t.gql(ListDeep, { first: 1000 }, a.key));
    expect(data.files.edges).toHaveLength(100);
    expect(data.files.pageInfo.hasNextPage).toBe(true);
  });
});
