// The event log (events query and subscription, replayable with `after:`) and webhooks in the API.
import { hasScope, scopedTenantId, type Context } from '../../context.js';
import { ForbiddenError, NotFoundError, ValidationError } from '../../errors.js';
import { builder, MAX_PAGE_SIZE } from '../../schema/builder.js';
import { isUuid, NIL_UUID } from '../../schema/global-id.js';
import { tenantOf } from '../files/files.schema.js';
import { EVENT_TYPES, type LoggedEvent } from './events.service.js';

const EventRef = builder.objectRef<LoggedEvent>('Event').implement({
  description: 'Something that happened in the tenant, as the event log and webhooks tell it',
  fields: (t) => ({
    cursor: t.exposeString('cursor', { description: 'Per-tenant and increasing: pass it as `after` to resume after this event' }),
    type: t.exposeString('type', { description: 'file.created, crawl.completed, index.failed … (eventTypes lists them)' }),
    occurredAt: t.field({ type: 'DateTime', resolve: (e) => e.occurredAt }),
    data: t.field({ type: 'JSON', description: 'Ids (as the API shows them) and details of the event', resolve: (e) => e.data }),
  }),
});

const EventPage = builder.objectRef<{ events: LoggedEvent[]; hasMore: boolean }>('EventPage').implement({
  fields: (t) => ({
    events: t.field({ type: [EventRef], resolve: (p) => p.events }),
    endCursor: t.string({ nullable: true, description: 'The last event’s cursor (null: none)', resolve: (p) => p.events.at(-1)?.cursor ?? null }),
    hasMore: t.boolean({ resolve: (p) => p.hasMore }),
  }),
});

/** The event types the caller may read: each needs the scope of what it is about. */
function readableTypes(ctx: Context, asked: readonly string[] | null | undefined): string[] {
  const all = Object.keys(EVENT_TYPES);
  if (!asked || asked.length === 0 || asked.includes('*')) return all.filter((type) => hasScope(ctx.viewer, EVENT_TYPES[type]!));
  for (const type of asked) {
    const scope = EVENT_TYPES[type];
    if (!scope) throw new ValidationError(`unknown event type: ${type.slice(0, 80)} (eventTypes lists them)`, [{ path: ['types'], message: 'unknown event type' }]);
    if (!hasScope(ctx.viewer, scope)) throw new ForbiddenError(`This API key lacks the scope this needs: ${scope} (for ${type} events)`);
  }
  return [...new Set(asked)];
}

builder.queryFields((t) => ({
  eventTypes: t.stringList({ description: 'Every event type the log and webhooks know', resolve: () => Object.keys(EVENT_TYPES) }),
  events: t.field({
    type: EventPage,
    authScopes: { tenant: true },
    description: 'The event log, oldest first after `after` (kept DOCSTORE_EVENT_RETENTION_DAYS); types need the scope of what they are about',
    args: {
      after: t.arg.string({ description: 'A cursor; omitted: from the oldest event kept' }),
      first: t.arg.int({ description: 'Default 100, at most 1000' }),
      types: t.arg.stringList({ description: 'Only these types (default: every type this key may read)' }),
    },
    resolve: (_root, args, ctx) => ctx.services.eventLog.list(tenantOf(ctx), { after: args.after, first: args.first, types: readableTypes(ctx, args.types) }),
  }),
}));

builder.subscriptionField('events', (t) =>
  t.field({
    type: EventRef,
    authScopes: { tenant: true },
    description:
      'Events as they are appended; with `after`, first every event after that cursor. A client that reconnects with its last cursor misses nothing and gets nothing twice',
    args: {
      after: t.arg.string({ description: 'Replay from after this cursor; omitted: only new events' }),
      types: t.arg.stringList(),
    },
    subscribe: (_root, args, ctx) => ctx.services.eventLog.follow(tenantOf(ctx), args.after, readableTypes(ctx, args.types)),
    resolve: (event) => event,
  }),
);

const WebhookDeliveryStatus = builder.enumType('WebhookDeliveryStatus', { values: ['PENDING', 'DELIVERED', 'FAILED'] as const });

builder.prismaObject('WebhookDelivery', {
  description: 'One event for one webhook: retried with backoff until delivered, for 24 hours',
  fields: (t) => ({
    id: t.exposeID('id'),
    eventCursor: t.string({ resolve: (d) => String(d.eventSeq) }),
    eventType: t.exposeString('eventType'),
    status: t.expose('status', { type: WebhookDeliveryStatus }),
    attempts: t.exposeInt('attempts'),
    lastStatusCode: t.exposeInt('lastStatusCode', { nullable: true }),
    lastError: t.exposeString('lastError', { nullable: true }),
    lastAttemptAt: t.expose('lastAttemptAt', { type: 'DateTime', nullable: true }),
    nextAttemptAt: t.expose('nextAttemptAt', { type: 'DateTime', nullable: true, description: 'While PENDING' }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    deliveredAt: t.expose('deliveredAt', { type: 'DateTime', nullable: true }),
  }),
});

const WebhookRef = builder.prismaNode('Webhook', {
  id: { field: 'id' },
  findUnique: (id, ctx) => ({ id: isUuid(id) ? id : NIL_UUID, tenantId: scopedTenantId(ctx.viewer) }),
  description: 'A URL told about the tenant’s events, signed the Standard Webhooks way',
  fields: (t) => ({
    url: t.exposeString('url'),
    events: t.exposeStringList('events'),
    description: t.exposeString('description', { nullable: true }),
    active: t.exposeBoolean('active'),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    deliveries: t.relatedConnection('deliveries', {
      cursor: 'id',
      maxSize: MAX_PAGE_SIZE,
      description: 'The delivery log, newest first',
      query: { orderBy: [{ createdAt: 'desc' }, { id: 'desc' }] },
    }),
  }),
});

builder.queryField('webhooks', (t) =>
  t.prismaConnection({
    type: 'Webhook',
    cursor: 'id',
    maxSize: MAX_PAGE_SIZE,
    authScopes: { key: 'KEYS_ADMIN' },
    resolve: (query, _root, _args, ctx) => ctx.prisma.webhook.findMany({ ...query, where: { tenantId: tenantOf(ctx) }, orderBy: [{ createdAt: 'desc' }, { id: 'desc' }] }),
  }),
);

builder.relayMutationField(
  'createWebhook',
  {
    inputFields: (t) => ({
      url: t.string({ required: true, description: 'http(s); private addresses only with DOCSTORE_ALLOW_PRIVATE_URLS' }),
      events: t.stringList({ required: true, description: 'Event types (eventTypes), or "*" for every type the key may read' }),
      secret: t.string({ description: 'whsec_ + at least 24 bytes in base64; omitted: one is made' }),
      description: t.string(),
    }),
  },
  {
    authScopes: { key: 'KEYS_ADMIN' },
    description: 'The signing secret is returned once (whsec_…): verify webhook-signature over `webhook-id.webhook-timestamp.body`',
    errors: { types: [ValidationError, ForbiddenError] },
    resolve: (_root, { input }, ctx) => {
      readableTypes(ctx, input.events);
      return ctx.services.webhooks.create(tenantOf(ctx), input);
    },
  },
  {
    outputFields: (t) => ({
      webhook: t.prismaField({ type: 'Webhook', resolve: (query, r, _a, ctx) => ctx.prisma.webhook.findUniqueOrThrow({ ...query, where: { id: r.webhookId } }) }),
      secret: t.string({ description: 'Shown once', resolve: (r) => r.secret }),
    }),
  },
);

builder.relayMutationField(
  'updateWebhook',
  {
    inputFields: (t) => ({
      webhookId: t.globalID({ required: true, for: WebhookRef }),
      url: t.string(),
      events: t.stringList(),
      description: t.string(),
      active: t.boolean({ description: 'false: nothing is queued for it; pending deliveries are still tried' }),
    }),
  },
  {
    authScopes: { key: 'KEYS_ADMIN' },
    errors: { types: [NotFoundError, ValidationError, ForbiddenError] },
    resolve: (_root, { input }, ctx) => {
      if (input.events) readableTypes(ctx, input.events);
      return ctx.services.webhooks.update(tenantOf(ctx), input.webhookId.id, input);
    },
  },
  {
    outputFields: (t) => ({
      webhook: t.prismaField({ type: 'Webhook', resolve: (query, r, _a, ctx) => ctx.prisma.webhook.findUniqueOrThrow({ ...query, where: { id: r.webhookId } }) }),
    }),
  },
);

builder.relayMutationField(
  'deleteWebhook',
  { inputFields: (t) => ({ webhookId: t.globalID({ required: true, for: WebhookRef }) }) },
  {
    authScopes: { key: 'KEYS_ADMIN' },
    errors: { types: [NotFoundError] },
    resolve: (_root, { input }, ctx) => ctx.services.webhooks.delete(tenantOf(ctx), input.webhookId.id),
  },
  { outputFields: (t) => ({ deletedWebhookId: t.globalID({ resolve: (r) => ({ type: 'Webhook', id: r.webhookId }) }) }) },
);
