import * as z from 'zod';
import { defineOperation } from './operation.ts';

const hkaEnvironmentHealth = z.object({
  state: z
    .enum(['closed', 'open'])
    .describe('The circuit breaker: open while HKA does not answer (documents wait)'),
  since: z.string().optional().describe('While open: when HKA stopped answering, as far as factu knows'),
  nextProbeAt: z.string().optional().describe('While open: when factu asks HKA again'),
});

export const healthSchema = z.object({
  status: z.enum(['ok', 'degraded']),
  checkedAt: z.string(),
  dependencies: z.object({
    dynamodb: z.enum(['up', 'down']),
    hka: z.object({ demo: hkaEnvironmentHealth, prod: hkaEnvironmentHealth }).optional(),
  }),
});

/** Public: whether the API and its dependencies answer (no tenant data; monitors call it without a key). */
export const healthOperations = {
  getHealth: defineOperation({
    operationId: 'getHealth',
    method: 'get',
    path: '/v1/health',
    summary:
      'Whether the API and its dependencies answer, and HKA per environment as the circuit breaker sees it',
    description:
      'No authentication and no tenant data. 200 when the API and DynamoDB answer (HKA being down is reported, not an error: documents wait for it); 503 `UPSTREAM_UNAVAILABLE` when DynamoDB does not.',
    tags: ['health'],
    successStatus: 200,
    response: healthSchema,
    errors: [503],
    example: {
      response: {
        status: 'ok',
        checkedAt: '2026-11-22T17:00:00.000Z',
        dependencies: {
          dynamodb: 'up',
          hka: {
            demo: { state: 'closed' },
            prod: {
              state: 'open',
              since: '2026-11-22T16:52:10.000Z',
              nextProbeAt: '2026-11-22T17:00:40.000Z',
            },
          },
        },
      },
    },
  }),
};
