// Secrets the embedded default needs but nobody configured: generated once, kept in the data dir (mode 0600).
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Config } from '../config.js';

export interface Secrets {
  adminToken: string | undefined;
  secretKey: string;
  /** Where the admin token is kept when it lives in the data dir (embedded default); start-up prints it. */
  adminTokenFile?: string;
}

function readOrCreate(file: string, make: () => string): { value: string } {
  try {
    return { value: fs.readFileSync(file, 'utf8').trim() };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const value = make();
    fs.writeFileSync(file, `${value}\n`, { mode: 0o600, flag: 'wx' });
    return { value };
  }
}

export function resolveSecrets(config: Config): Secrets {
  if (config.mode === 'server') {
    // config.ts requires DOCSTORE_SECRET_KEY in server mode; without an admin token admin mutations are disabled.
    return { adminToken: config.adminToken, secretKey: config.secretKey! };
  }
  const secretKey =
    config.secretKey ?? readOrCreate(path.join(config.dataDir, 'secret-key'), () => random('')).value;
  if (config.adminToken) return { adminToken: config.adminToken, secretKey };
  const adminTokenFile = path.join(config.dataDir, 'admin-token');
  const token = readOrCreate(adminTokenFile, () => random('dsa_'));
  return { adminToken: token.value, secretKey, adminTokenFile };
}

function random(prefix: string): string {
  return prefix + crypto.randomBytes(32).toString('base64url');
}
