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

/** Encrypts small secrets at rest (API keys of registered models, crawler credentials): AES-256-GCM. */
export class SecretBox {
  private readonly key: Buffer;
  constructor(secretKey: string) {
    this.key = crypto.createHash('sha256').update(`docstore:secret-box:${secretKey}`).digest();
  }

  seal(plaintext: string): string {
    const iv = crypto.randomBytes(12);
    const cipher = crypto.createCipheriv('aes-256-gcm', this.key, iv);
    const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return ['v1', iv.toString('base64'), cipher.getAuthTag().toString('base64'), body.toString('base64')].join(':');
  }

  open(sealed: string): string {
    const [version, iv, tag, body] = sealed.split(':');
    if (version !== 'v1' || !iv || !tag || body === undefined) throw new Error('unrecognised sealed secret');
    const decipher = crypto.createDecipheriv('aes-256-gcm', this.key, Buffer.from(iv, 'base64'));
    decipher.setAuthTag(Buffer.from(tag, 'base64'));
    return Buffer.concat([decipher.update(Buffer.from(body, 'base64')), decipher.final()]).toString('utf8');
  }
}
