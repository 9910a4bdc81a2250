// Compiles src/ to dist/ when dist/ is missing or older than the sources, so `npm start` runs plain JavaScript
// (no transpiling at every start). Runs as `prepare` (after npm ci / npm install) and before `npm start` and
// `npm run worker`. Without TypeScript installed (a production install) an existing dist/ is used as it is.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 22 || (major === 22 && minor < 13)) {
  console.error(
    `Docstore needs Node.js >= 22.13 (this is ${process.version}). Run \`. scripts/use-node.sh\` in this shell ` +
      '(it installs Node 24 from the npm registry into ~/.cache and puts it first on PATH), then run the command again.',
  );
  process.exit(1);
}

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const stamp = path.join(root, 'dist', '.build-stamp');

function newest(entry) {
  const stat = fs.statSync(entry);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let latest = 0;
  for (const name of fs.readdirSync(entry)) latest = Math.max(latest, newest(path.join(entry, name)));
  return latest;
}

const inputs = ['src', 'tsconfig.json', 'tsconfig.build.json', 'package-lock.json'].map((p) => path.join(root, p));
const built = fs.existsSync(stamp) ? fs.statSync(stamp).mtimeMs : 0;
const changed = Math.max(...inputs.filter((p) => fs.existsSync(p)).map(newest));
if (built >= changed && process.argv[2] !== '--force') process.exit(0);

let tsc;
try {
  tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
} catch {
  if (built) process.exit(0); // production install: dist/ came with the image
  console.error('dist/ is missing and TypeScript is not installed: run `npm ci` (with dev dependencies), then `npm run build`.');
  process.exit(1);
}
console.error(built ? 'Sources changed since the last build: compiling src/ → dist/ …' : 'Compiling src/ → dist/ (once) …');
fs.rmSync(path.join(root, 'dist'), { recursive: true, force: true });
const result = spawnSync(process.execPath, [tsc, '-p', path.join(root, 'tsconfig.build.json')], { stdio: 'inherit', cwd: root });
if (result.status !== 0) process.exit(result.status ?? 1);
fs.writeFileSync(stamp, `${new Date().toISOString()}\n`);
