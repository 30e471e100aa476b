/**
 * The console's Content-Security-Policy, one definition for CloudFront's response headers policy
 * (infra/constructs/web-console.ts) and the local console server (local/web/console-server.ts): scripts and
 * styles only from the console's own files (no 'unsafe-inline'), API calls to its own origin, the token
 * endpoint on the user pool's domain, and no framing.
 */
export function consoleContentSecurityPolicy(hostedUiOrigin: string): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    `connect-src 'self' ${hostedUiOrigin}`,
    `form-action 'self' ${hostedUiOrigin}`,
    "frame-ancestors 'none'",
    "base-uri 'none'",
    "object-src 'none'",
  ].join('; ');
}
