import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';

const MAX_FORM = 64 * 1024;

/** Reads an `application/x-www-form-urlencoded` body (the hosted UI's forms and the token endpoint). */
export async function readForm(req: IncomingMessage): Promise<URLSearchParams | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_FORM) return undefined;
    chunks.push(chunk as Buffer);
  }
  const type = String(req.headers['content-type'] ?? '')
    .split(';')[0]
    ?.trim()
    .toLowerCase();
  if (type !== 'application/x-www-form-urlencoded') return undefined;
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

export function cookies(req: IncomingMessage): Record<string, string> {
  const jar: Record<string, string> = {};
  for (const part of String(req.headers.cookie ?? '').split(';')) {
    const [name, ...value] = part.trim().split('=');
    if (name) jar[name] = decodeURIComponent(value.join('='));
  }
  return jar;
}

/** A cookie of the hosted UI's origin only: HttpOnly, SameSite=Lax (it must survive the IdP round trip). */
export function cookie(name: string, value: string, maxAgeSeconds: number): string {
  return `${name}=${encodeURIComponent(value)}; Path=/; HttpOnly; SameSite=Lax; Max-Age=${maxAgeSeconds}`;
}

export function randomToken(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}

export function sameSecret(a: string | undefined, b: string | undefined): boolean {
  if (!a || !b) return false;
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

export function redirect(res: ServerResponse, location: string, setCookies: string[] = []): void {
  res.writeHead(302, {
    location,
    'cache-control': 'no-store',
    ...(setCookies.length ? { 'set-cookie': setCookies } : {}),
  });
  res.end();
}

/** Pages: no external assets, nothing framed, nothing cached (they carry CSRF tokens and secrets). */
export function sendHtml(res: ServerResponse, status: number, html: string, setCookies: string[] = []): void {
  res.writeHead(status, {
    'content-type': 'text/html; charset=utf-8',
    'cache-control': 'no-store',
    'content-security-policy':
      "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'",
    'x-frame-options': 'DENY',
    'referrer-policy': 'no-referrer',
    ...(setCookies.length ? { 'set-cookie': setCookies } : {}),
  });
  res.end(html);
}

/**
 * Token endpoint answers, as Cognito's: JSON, never cached, readable by a browser app on another origin (a
 * single-page app trades its code and refreshes from the browser; the form POST is a CORS simple request).
 */
export function sendTokenJson(res: ServerResponse, status: number, body: unknown, origin?: string): void {
  res.writeHead(status, {
    'content-type': 'application/json;charset=UTF-8',
    'cache-control': 'no-store',
    pragma: 'no-cache',
    ...(origin ? { 'access-control-allow-origin': origin, vary: 'Origin' } : {}),
  });
  res.end(JSON.stringify(body));
}

/** `url` with extra query parameters, keeping its own. */
export function withQuery(url: string, parameters: Record<string, string | undefined>): string {
  const target = new URL(url);
  for (const [name, value] of Object.entries(parameters))
    if (value !== undefined) target.searchParams.set(name, value);
  return target.toString();
}
