/**
 * Where the hosted UI sends the browser back to on the console's origin. The web client's registered
 * callback and logout URLs are built from these (infra/stacks/api-stack.ts), so they cannot drift apart.
 */
export const CALLBACK_PATH = '/auth/callback';
export const SIGNED_OUT_PATH = '/';
