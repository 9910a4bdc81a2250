// Prints the GraphQL schema, sorted, to schema.graphql (`--check` fails when the committed file differs).
import fs from 'node:fs';
import { printSchema } from 'graphql';
import { sortedSchema } from '../src/schema/index.js';

const file = new URL('../schema.graphql', import.meta.url);
const printed = `${printSchema(sortedSchema())}\n`;
if (process.argv.includes('--check')) {
  const committed = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
  if (committed !== printed) {
    console.error('schema.graphql is out of date: run `npm run schema:print` and commit it.');
    process.exit(1);
  }
  console.log('schema.graphql is up to date');
} else {
  fs.writeFileSync(file, printed);
  console.log('wrote schema.graphql');
}
