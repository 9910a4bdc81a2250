// `prisma migrate diff` cannot run here (no native schema engine), so this test is the drift check: the database
// the migrations build must match prisma/schema.prisma column by column, index by index, on both databases.
import crypto from 'node:crypto';
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate, readMigrations } from '../src/infra/migrate.js';
import { startTestApp, type TestApp } from './support/harness.js';

interface Column {
  table: string;
  column: string;
  type: string;
  nullable: boolean;
}

const SCALARS: Record<string, string> = {
  String: 'text',
  Int: 'integer',
  BigInt: 'bigint',
  Boolean: 'boolean',
  DateTime: 'timestamp(3)',
  Json: 'jsonb',
  Float: 'double precision',
};

function parseSchema(source: string) {
  const enums = new Map<string, string[]>();
  for (const m of source.matchAll(/^enum (\w+) \{([\s\S]*?)^\}/gm)) {
    enums.set(m[1]!, m[2]!.split('\n').map((l) => l.trim()).filter(Boolean));
  }
  const columns: Column[] = [];
  const uniques: { table: string; columns: string[] }[] = [];
  const indexes: { table: string; columns: string[] }[] = [];
  for (const m of source.matchAll(/^model (\w+) \{([\s\S]*?)^\}/gm)) {
    const body = m[2]!;
    const table = /@@map\("(\w+)"\)/.exec(body)?.[1] ?? m[1]!;
    const columnOf = new Map<string, string>();
    for (const line of body.split('\n').map((l) => l.trim())) {
      const field = /^(\w+)\s+(\w+)(\?|\[\])?(.*)$/.exec(line);
      if (!field || line.startsWith('@@') || line.startsWith('//')) continue;
      const [, name, type, modifier, attributes] = field;
      const isEnum = enums.has(type!);
      const unsupported = type === 'Unsupported' ? /^\("(\w+)"\)/.exec(attributes!)?.[1] : undefined;
      if (!(type! in SCALARS) && !isEnum && !unsupported) continue; // relation field
      const column = /@map\("(\w+)"\)/.exec(attributes!)?.[1] ?? name!;
      columnOf.set(name!, column);
      let pgType = unsupported ?? (isEnum ? type! : SCALARS[type!]!);
      if (/@db\.Uuid/.test(attributes!)) pgType = 'uuid';
      const tz = /@db\.Timestamptz\((\d)\)/.exec(attributes!);
      if (tz) pgType = `timestamptz(${tz[1]})`;
      // Prisma creates scalar lists (String[]) without NOT NULL.
      columns.push({ table, column, type: modifier === '[]' ? `${pgType}[]` : pgType, nullable: modifier === '?' || modifier === '[]' });
      if (/@unique\b/.test(attributes!)) uniques.push({ table, columns: [column] });
    }
    for (const u of body.matchAll(/@@unique\(\[([^\]]+)\]\)/g)) {
      uniques.push({ table, columns: u[1]!.split(',').map((f) => columnOf.get(f.trim())!) });
    }
    for (const i of body.matchAll(/@@index\(\[([^\]]+)\]/g)) {
      indexes.push({ table, columns: i[1]!.split(',').map((f) => columnOf.get(f.trim().replace(/\(.*$/, ''))!) });
    }
  }
  return { columns, uniques, indexes, enums };
}

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => t?.close());

describe('migrations', () => {
  const schema = parseSchema(fs.readFileSync(new URL('../prisma/schema.prisma', import.meta.url), 'utf8'));

  it('build exactly the columns schema.prisma declares, with the same types and nullability', async () => {
    const rows = await t.app.db.sql.query<{
      table_name: string;
      column_name: string;
      data_type: string;
      udt_name: string;
      is_nullable: string;
      datetime_precision: number | null;
    }>(
      `SELECT table_name, column_name, data_type, udt_name, is_nullable, datetime_precision
         FROM information_schema.columns
        WHERE table_schema = 'public' AND table_name <> '_prisma_migrations'`,
    );
    const actual = rows
      .map((r) => {
        let type = r.data_type === 'USER-DEFINED' ? r.udt_name : r.data_type;
        if (type === 'timestamp with time zone') type = `timestamptz(${r.datetime_precision})`;
        if (type === 'timestamp without time zone') type = `timestamp(${r.datetime_precision})`;
        if (type === 'character varying') type = 'text';
        if (type === 'ARRAY') type = `${r.udt_name.replace(/^_/, '')}[]`;
        return { table: r.table_name, column: r.column_name, type, nullable: r.is_nullable === 'YES' };
      })
      .sort((x, y) => `${x.table}.${x.column}`.localeCompare(`${y.table}.${y.column}`));
    const expected = [...schema.columns].sort((x, y) => `${x.table}.${x.column}`.localeCompare(`${y.table}.${y.column}`));
    expect(actual).toEqual(expected);
  });

  it('create the unique constraints, indexes and enums schema.prisma declares', async () => {
    const indexRows = await t.app.db.sql.query<{ tablename: string; indexdef: string }>(
      `SELECT tablename, indexdef FROM pg_indexes WHERE schemaname = 'public'`,
    );
    const defs = indexRows.map((r) => ({ table: r.tablename, def: r.indexdef }));
    const has = (table: string, columns: string[], unique: boolean) =>
      defs.some(
        (d) =>
          d.table === table &&
          (!unique || d.def.startsWith('CREATE UNIQUE INDEX')) &&
          new RegExp(`\\(${columns.map((c) => `"?${c}"?[^,)]*`).join(', ')}\\)`).test(d.def),
      );
    for (const u of schema.uniques) expect(has(u.table, u.columns, true), `unique ${u.table}(${u.columns})`).toBe(true);
    for (const i of schema.indexes) expect(has(i.table, i.columns, false), `index ${i.table}(${i.columns})`).toBe(true);

    for (const [name, values] of schema.enums) {
      const rows = await t.app.db.sql.query<{ enumlabel: string }>(
        `SELECT e.enumlabel FROM pg_enum e JOIN pg_type t ON t.oid = e.enumtypid WHERE t.typname = $1 ORDER BY e.enumsortorder`,
        [name],
      );
      expect(rows.map((r) => r.enumlabel)).toEqual(values);
    }
    const vector = await t.app.db.sql.query(`SELECT 1 FROM pg_extension WHERE extname = 'vector'`);
    expect(vector).toHaveLength(1);
  });

  it("record each migration in _prisma_migrations as Prisma does, and apply nothing twice", async () => {
    const migrations = readMigrations();
    const rows = await t.app.db.sql.query<{
      id: string;
      migration_name: string;
      checksum: string;
      finished_at: Date | null;
      applied_steps_count: number;
      rolled_back_at: Date | null;
    }>(`SELECT id, migration_name, checksum, finished_at, applied_steps_count, rolled_back_at FROM "_prisma_migrations" ORDER BY migration_name`);
    expect(rows.map((r) => r.migration_name)).toEqual(migrations.map((m) => m.name));
    for (const [i, row] of rows.entries()) {
      const file = fs.readFileSync(new URL(`../prisma/migrations/${row.migration_name}/migration.sql`, import.meta.url));
      expect(row.checksum).toBe(crypto.createHash('sha256').update(file).digest('hex'));
      expect(row.checksum).toBe(migrations[i]!.checksum);
      expect(row.finished_at).toBeInstanceOf(Date);
      expect(row.rolled_back_at).toBeNull();
      expect(row.applied_steps_count).toBe(1);
      expect(row.id).toMatch(/^[0-9a-f-]{36}$/);
    }
    expect(await migrate(t.app.db.sql, t.app.logger)).toEqual([]);
  });

  it('refuse to start over a migration that failed earlier', async () => {
    await t.app.db.sql.query(
      `INSERT INTO "_prisma_migrations" (id, checksum, migration_name, started_at, applied_steps_count)
       VALUES ($1, 'x', '29991231000000_broken', now(), 0)`,
      [crypto.randomUUID()],
    );
    await expect(migrate(t.app.db.sql, t.app.logger)).rejects.toThrow(/29991231000000_broken failed earlier/);
    await t.app.db.sql.query(`DELETE FROM "_prisma_migrations" WHERE migration_name = '29991231000000_broken'`);
  });
});
