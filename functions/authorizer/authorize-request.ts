import type { APIGatewayRequestAuthorizerEvent } from 'aws-lambda';
import { authorize, Unauthorized } from '#shared/auth/authorize';
import { awsAuthorizerPorts } from '#shared/auth/aws-ports';
import { allowWholeApi } from '#shared/auth/policy';
import { logger } from '#shared/observability/logger';
import { withPowertools } from '#shared/observability/middlewares';

/**
 * The API's REQUEST authorizer (identity source: the Authorization header): an API key or a Cognito ID token
 * → an Allow policy for the whole API with the `AuthorizerContext`. A refusal is `Error('Unauthorized')`,
 * which API Gateway answers 401; the token itself is never logged.
 */
export const handler = withPowertools(async (event: APIGatewayRequestAuthorizerEvent) => {
  // Header names keep the client's casing in the event.
  const header = Object.entries(event.headers ?? {}).find(
    ([name]) => name.toLowerCase() === 'authorization',
  )?.[1];
  try {
    return allowWholeApi(event.methodArn, await authorize(header, awsAuthorizerPorts));
  } catch (error) {
    if (error instanceof Unauthorized) throw new Error('Unauthorized');
    logger.error('Authorizer failed', { errorName: (error as Error).name, error: error as Error });
    throw error;
  }
});
