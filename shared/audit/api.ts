import * as z from 'zod';
import { dateFilter } from '#shared/documents/api';
import { defineOperation } from '#shared/http/operation';
import { AUDIT_ACTIONS } from './actions.ts';

/** The audit trail API, described once (the handler validates with it; OpenAPI is generated from it). */

export const listAuditEventsQuery = z.object({
  from: dateFilter
    .optional()
    .describe('From (inclusive): a date (the whole Panama day) or a date-time with its offset'),
  to: dateFilter
    .optional()
    .describe('To (inclusive): a date (the whole Panama day) or a date-time (its whole second)'),
  action: z.enum(AUDIT_ACTIONS, { error: () => `must be one of ${AUDIT_ACTIONS.join(', ')}` }).optional(),
  actorId: z.string().min(1).max(128).optional().describe('Cognito sub of a user, or an API key id'),
  limit: z.coerce.number().int().min(1).max(100).default(25),
  cursor: z.string().max(2048).optional(),
});

const auditEventResource = z.object({
  id: z.string(),
  at: z.string(),
  action: z.enum(AUDIT_ACTIONS),
  actor: z.object({
    type: z.enum(['user', 'api-key']),
    id: z.string(),
    email: z.string().optional().describe('A user’s e-mail'),
    prefix: z.string().optional().describe('An API key’s public prefix'),
  }),
  target: z.object({ type: z.string(), id: z.string() }),
  requestId: z.string().nullable(),
  sourceIp: z.string().nullable(),
  changes: z
    .record(z.string(), z.object({ from: z.unknown().optional(), to: z.unknown().optional() }))
    .describe('What the action changed (from → to); never a secret'),
});

export const auditOperations = {
  listAuditEvents: defineOperation({
    operationId: 'listAuditEvents',
    method: 'get',
    path: '/v1/audit-events',
    summary: 'The audit trail',
    description:
      'Sensitive actions, newest first: a tenant ADMIN reads its tenant’s, a SUPER_ADMIN the platform’s. Filter by date, `action` and `actorId`; a filtered page may hold fewer than `limit` entries: pass `nextCursor` as `cursor` until it is null.',
    tags: ['audit'],
    permission: 'audit:read',
    scope: 'tenant-or-platform',
    query: listAuditEventsQuery,
    successStatus: 200,
    response: z.object({ items: z.array(auditEventResource), nextCursor: z.string().nullable() }),
    errors: [400, 401, 403, 422],
    example: {
      query: { from: '2026-12-01', action: 'issuing-settings.changed' },
      response: {
        items: [
          {
            id: '01KBX3Q9Z8M4T6V2W7Y5R1N0PA',
            at: '2026-12-06T14:05:11.402Z',
            action: 'issuing-settings.changed',
            actor: { type: 'user', id: '5f1e4c2a-7d1b-4e8f-9a3c-2b6d8e0f1a47', email: 'admin@demo-cafe.pa' },
            target: { type: 'settings', id: 'issuing' },
            requestId: 'c6e9a5f4-3b1d-4c2e-8f7a-9d0b1e2c3a4f',
            sourceIp: '190.140.12.7',
            changes: { lowFolioThreshold: { from: 50, to: 100 } },
          },
        ],
        nextCursor: null,
      },
    },
  }),
};
