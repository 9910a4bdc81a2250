// Webhooks: a tenant's URLs told about its events. Deliveries are signed the Standard Webhooks way (HMAC-SHA256
// over `id.timestamp.body`, headers webhook-id / webhook-timestamp / webhook-signature), sent through the same
// outbound guard as every other request the server makes, and retried with backoff for 24 hours.
import crypto from 'node:crypto';
import type { Config } from '../../config.js';
import { NotFoundError, ValidationError } from '../../errors.js';
import type { PrismaClient } from '../../generated/prisma/client.js';
import { auditEffect } from '../../infra/audit-context.js';
import { assertPublicUrl, safeRequest, SafeFetchError, type AddressGuard } from '../../infra/safe-fetch.js';
import type { SecretBox } from '../../infra/secrets.js';
import type { EventBus } from '../../infra/pubsub.js';
import type { Logger } from '../../logger.js';
import { isUuid, NIL_UUID } from '../../schema/global-id.js';
import { EVENT_TYPES, type EventTopics } from './events.service.js';
import * as repo from './events.repository.js';

const CLAIM = 16;
const LEASE_SECONDS = 60;
const MAX_BACKOFF_MS = 60 * 60_000;

export interface WebhookInput {
  url?: string | null;
  events?: readonly string[] | null;
  description?: string | null;
  active?: boolean | null;
}

/** Signs a delivery: `v1,<base64 HMAC-SHA256(secret, id.timestamp.body)>` (secret: `whsec_<base64>`). */
export function signDelivery(secret: string, id: string, timestamp: number, body: string): string {
  const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64');
  return `v1,${crypto.createHmac('sha256', key).update(`${id}.${timestamp}.${body}`).digest('base64')}`;
}

export class WebhookService {
  private stopped = true;
  private loop?: Promise<void>;
  private wake?: () => void;
  private stopListening?: () => Promise<void>;

  constructor(
    private readonly prisma: PrismaClient,
    private readonly box: SecretBox,
    private readonly bus: EventBus<EventTopics>,
    private readonly config: Pick<Config, 'webhooks' | 'fetch'>,
    private readonly logger: Logger,
    private readonly guard?: AddressGuard,
  ) {}

  /** A new webhook; its signing secret is returned this once. */
  async create(tenantId: string, input: WebhookInput & { url: string; events: readonly string[]; secret?: string | null }): Promise<{ webhookId: string; secret: string }> {
    const url = await this.checkUrl(input.url);
    const events = checkEvents(input.events);
    const secret = input.secret ?? `whsec_${crypto.randomBytes(24).toString('base64')}`;
    if (!/^whsec_[A-Za-z0-9+/]{32,}={0,2}$/.test(secret) || Buffer.from(secret.slice(6), 'base64').length < 24) {
      throw new ValidationError('secret must be whsec_ followed by at least 24 bytes in base64 (omit it to have one made)', [{ path: ['secret'], message: 'not a whsec_ secret' }]);
    }
    const webhook = await this.prisma.$transaction(async (tx) => {
      const created = await tx.webhook.create({
        data: { tenantId, url, events, description: input.description ?? null, secretEncrypted: this.box.seal(secret), active: input.active ?? true },
        select: { id: true },
      });
      await auditEffect(tx);
      return created;
    });
    return { webhookId: webhook.id, secret };
  }

  async update(tenantId: string, webhookId: string, input: WebhookInput): Promise<{ webhookId: string }> {
    const data: { url?: string; events?: string[]; description?: string | null; active?: boolean } = {};
    if (input.url != null) data.url = await this.checkUrl(input.url);
    if (input.events != null) data.events = checkEvents(input.events);
    if (input.description !== undefined) data.description = input.description;
    if (input.active != null) data.active = input.active;
    const { count } = await this.prisma.$transaction(async (tx) => {
      const updated = await tx.webhook.updateMany({ where: { id: uuidOr(webhookId), tenantId }, data });
      if (updated.count) await auditEffect(tx);
      return updated;
    });
    if (!count) throw new NotFoundError('Webhook', webhookId);
    return { webhookId };
  }

  async delete(tenantId: string, webhookId: string): Promise<{ webhookId: string }> {
    const { count } = await this.prisma.$transaction(async (tx) => {
      const deleted = await tx.webhook.deleteMany({ where: { id: uuidOr(webhookId), tenantId } });
      if (deleted.count) await auditEffect(tx);
      return deleted;
    });
    if (!count) throw new NotFoundError('Webhook', webhookId);
    return { webhookId };
  }

  /** Delivers due deliveries until stopped (processes that work jobs); woken by every appended event. */
  async start(): Promise<void> {
    if (!this.stopped) return;
    this.stopped = false;
    const wakeups = await this.bus.listen('events');
    this.stopListening = async () => void (await wakeups.return?.());
    void (async () => {
      for (let next = await wakeups.next(); !next.done; next = await wakeups.next()) this.wake?.();
    })().catch(() => undefined);
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.wake?.();
    await this.stopListening?.();
    await this.loop;
  }

  /** One pass: claims what is due and sends it; returns how many were claimed. */
  async deliverDue(): Promise<number> {
    const due = await repo.claimDue(this.prisma, CLAIM, LEASE_SECONDS);
    await Promise.all(due.map((d) => this.deliver(d)));
    return due.length;
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      let claimed = 0;
      try {
        claimed = await this.deliverDue();
      } catch (error) {
        this.logger.warn({ err: error }, 'webhook delivery pass failed');
      }
      if (claimed === CLAIM || this.stopped) continue;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, this.config.webhooks.pollMs);
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.wake = undefined;
    }
  }

  private async deliver(delivery: repo.DueDelivery): Promise<void> {
    if (!delivery.occurredAt) {
      await repo.markAttemptFailed(this.prisma, delivery.id, { statusCode: null, error: 'the event is past its retention', retryAt: null });
      return;
    }
    const body = JSON.stringify({
      type: delivery.eventType,
      timestamp: delivery.occurredAt.toISOString(),
      data: { ...(delivery.data as Record<string, unknown>), cursor: String(delivery.eventSeq) },
    });
    const id = `msg_${delivery.id.replace(/-/g, '')}`;
    const timestamp = Math.floor(Date.now() / 1000);
    let statusCode: number | null = null;
    let error: string;
    try {
      const secret = this.box.open(delivery.secretEncrypted);
      const response = await safeRequest(delivery.url, {
        method: 'POST',
        body,
        headers: {
          'content-type': 'application/json',
          'webhook-id': id,
          'webhook-timestamp': String(timestamp),
          'webhook-signature': signDelivery(secret, id, timestamp, body),
        },
        timeoutMs: this.config.webhooks.timeoutMs,
        maxRedirects: 0,
        maxBodyBytes: 64 * 1024,
        allowPrivate: this.config.fetch.allowPrivateUrls,
        guard: this.guard,
      });
      response.body.resume();
      statusCode = response.status;
      if (statusCode >= 200 && statusCode < 300) {
        await repo.markDelivered(this.prisma, delivery.id, statusCode);
        return;
      }
      error = `HTTP ${statusCode}`;
    } catch (e) {
      error = e instanceof SafeFetchError ? e.message : `delivery failed: ${(e as Error).message}`;
    }
    const backoff = Math.min(MAX_BACKOFF_MS, this.config.webhooks.retryBaseMs * 2 ** (delivery.attempts - 1));
    const retryAt = new Date(Date.now() + backoff * (0.8 + Math.random() * 0.4));
    const expired = retryAt.getTime() - delivery.createdAt.getTime() > this.config.webhooks.maxAgeMs;
    await repo.markAttemptFailed(this.prisma, delivery.id, { statusCode, error, retryAt: expired ? null : retryAt });
  }

  private async checkUrl(raw: string): Promise<string> {
    let url: URL;
    try {
      url = await assertPublicUrl(raw, { allowPrivate: this.config.fetch.allowPrivateUrls, guard: this.guard });
    } catch (error) {
      throw new ValidationError(`url: ${(error as Error).message}`, [{ path: ['url'], message: (error as Error).message }]);
    }
    if (url.username || url.password) throw new ValidationError('url must not carry credentials', [{ path: ['url'], message: 'credentials in URL' }]);
    return url.href;
  }
}

function checkEvents(events: readonly string[]): string[] {
  const unique = [...new Set(events)];
  if (unique.length === 0) throw new ValidationError('events must name at least one event type (or "*")', [{ path: ['events'], message: 'empty' }]);
  const unknown = unique.filter((e) => e !== '*' && !(e in EVENT_TYPES));
  if (unknown.length) {
    throw new ValidationError(`unknown event types: ${unknown.slice(0, 5).join(', ')} (eventTypes lists them)`, [{ path: ['events'], message: 'unknown event type' }]);
  }
  return unique;
}

const uuidOr = (id: string) => (isUuid(id) ? id : NIL_UUID);
