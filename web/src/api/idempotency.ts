import { useRef } from 'react';
import { ApiError } from './client';

/**
 * The Idempotency-Key of one thing being created: the same key until the API has answered for it, so a double
 * click or a retry after a lost answer creates once. A success or a refusal (4xx: the person fixes the form and
 * sends a different request) starts a new key; a failure without an answer keeps it.
 */
export function useIdempotencyKey() {
  const key = useRef(crypto.randomUUID());
  return {
    header: () => ({ 'Idempotency-Key': key.current }),
    answered(error?: unknown) {
      if (error === undefined || (error instanceof ApiError && error.status >= 400 && error.status < 500))
        key.current = crypto.randomUUID();
    },
  };
}
