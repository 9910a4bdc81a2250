import process from 'node:process';
// `prisma generate` never runs the schema engine, but the CLI insists on locating one first and would try to
// download it. Point it at an existing file so generation works offline (see FACTS.md).
import { spawnSync } from 'node:child_process';

const env = { ...process.env };
env.PRISMA_SCHEMA_ENGINE_BINARY ??= process.execPath;
const result = spawnSync('npx', ['prisma', 'generate'], { stdio: 'inherit', env });
process.exit(result.status ?? 1);
