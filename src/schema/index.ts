// Imports every type module for its side effects, then builds the schema.
import { lexicographicSortSchema } from 'graphql';
import { builder } from './builder.js';
import './errors.js';
import '../modules/tenants/tenants.schema.js';
import '../modules/audit/audit.schema.js';
import '../modules/operations/operations.schema.js';
import '../modules/files/files.schema.js';
import '../modules/files/file-events.schema.js';
import '../modules/embedmodels/embedmodels.schema.js';
import '../modules/vectorstores/vectorstores.schema.js';
import '../modules/crawlers/crawlers.schema.js';
import '../modules/conversions/conversions.schema.js';
import '../modules/extraction/extraction.schema.js';
import '../modules/live/live.schema.js';
import '../modules/events/events.schema.js';

export const schema = builder.toSchema({ sortSchema: false });
export const sortedSchema = () => lexicographicSortSchema(schema);
