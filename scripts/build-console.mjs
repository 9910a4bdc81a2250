// Builds the web console (console/ → console/dist, served by the app at /) when it is missing or older than its
// sources or the SDK it uses. Runs after the server build (prepare, prestart). Without Vite installed (a production
// install) an existing console/dist is used as it is.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const stamp = path.join(root, 'console', 'dist', '.build-stamp');

function newest(entry) {
  const stat = fs.statSync(entry);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let latest = 0;
  for (const name of fs.readdirSync(entry)) latest = Math.max(latest, newest(path.join(entry, name)));
  return latest;
}

const inputs = ['console/src', 'console/index.html', 'console/vite.config.ts', 'client/src', 'package-lock.json'].map((p) => path.join(root, p));
const built = fs.existsSync(stamp) ? fs.statSync(stamp).mtimeMs : 0;
const changed = Math.max(...inputs.filter((p) => fs.existsSync(p)).map(newest));
if (built >= changed && process.argv[2] !== '--force') process.exit(0);

let vite;
try {
  vite = path.join(path.dirname(createRequire(import.meta.url).resolve('vite/package.json')), 'bin', 'vite.js');
} catch {
  if (built) process.exit(0);
  console.error('console/dist is missing and Vite is not installed: run `npm ci` (with dev dependencies), then `npm run build:console`.');
  process.exit(0); // the API works without the console: / shows the landing page
}
console.error('Building the web console (console/ → console/dist) …');
const result = spawnSync(process.execPath, [vite, 'build', '--config', path.join(root, 'console', 'vite.config.ts'), '--logLevel', 'warn'], { stdio: 'inherit', cwd: root });
if (result.status !== 0) process.exit(result.status ?? 1);
fs.writeFileSync(stamp, `${new Date().toISOString()}\n`);
