import type { z } from 'zod';
import type { OperationScope, Permission } from '#shared/tenancy/context';

/**
 * One API operation, described once: the handler factory validates with these schemas and the OpenAPI
 * document is generated from the same objects, so the docs cannot drift from what is enforced.
 */
export type Operation<
  P extends z.ZodType = z.ZodType,
  Q extends z.ZodType = z.ZodType,
  B extends z.ZodType = z.ZodType,
  R extends z.ZodType = z.ZodType,
> = {
  operationId: string;
  method: 'get' | 'post' | 'put' | 'delete' | 'patch';
  /** API Gateway style: `/v1/documents/{id}`. */
  path: string;
  summary: string;
  description?: string;
  tags: string[];
  /** Who may call it; absent = public (documentation routes). */
  permission?: Permission;
  /** Which principals it serves (default `tenant`); see OperationScope. */
  scope?: OperationScope;
  params?: P;
  query?: Q;
  body?: B;
  /**
   * `schema`: the factory validates the body with `body` (422 on failure).
   * `service`: the body is only required to be JSON; the service validates it, because its validation
   * reports rule and arithmetic violations together with shape errors (documents).
   */
  bodyValidation?: 'schema' | 'service';
  /** Requires an `Idempotency-Key` header and replays the first response for 24 h. */
  idempotent?: boolean;
  successStatus: number;
  response?: R;
  /** Other statuses this operation answers, for the docs. */
  errors?: number[];
  /**
   * A request that succeeds and what it answers (`data` of the success envelope), shown in the OpenAPI
   * document. Checked against this operation's own schemas (test/unit/app/openapi.test.ts) and sent by the
   * role matrix (test/integration/role-matrix.test.ts), with path ids replaced by resources it creates.
   * Required on every operation with a permission; the documentation routes have none.
   */
  example?: OperationExample<P, Q, B, R>;
};

export type OperationExample<
  P extends z.ZodType = z.ZodType,
  Q extends z.ZodType = z.ZodType,
  B extends z.ZodType = z.ZodType,
  R extends z.ZodType = z.ZodType,
> = {
  params?: z.input<P>;
  query?: z.input<Q>;
  body?: z.input<B>;
  response: z.input<R>;
};

export function defineOperation<
  P extends z.ZodType,
  Q extends z.ZodType,
  B extends z.ZodType,
  R extends z.ZodType,
>(operation: Operation<P, Q, B, R>): Operation<P, Q, B, R> {
  return operation;
}
