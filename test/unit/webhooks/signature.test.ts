import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { generateWebhookSecret, signPayload, verifySignature } from '#shared/webhooks/signature';

const secret = 'whsec_test-secret';
const body = '{"id":"evt","type":"document.authorized","createdAt":"2026-12-06T15:00:00.000Z","data":{}}';
const at = new Date('2026-12-06T15:00:00.000Z');

describe('webhook signatures', () => {
  it('signs Stripe-style: t=<unix>,v1=<hex HMAC-SHA256 of "t.body">', () => {
    // Act
    const header = signPayload(secret, body, at);

    // Assess: computed independently of the module
    const t = at.getTime() / 1000;
    const expected = createHmac('sha256', secret).update(`${t}.${body}`).digest('hex');
    expect(header).toBe(`t=${t},v1=${expected}`);
  });

  it('verifies its own signature within the tolerance, and refuses a changed body, secret or stale time', () => {
    // Prepare
    const header = signPayload(secret, body, at);
    const later = (seconds: number) => new Date(at.getTime() + seconds * 1000);

    // Act + Assess
    expect(verifySignature(secret, body, header, { now: later(299) })).toEqual({
      valid: true,
      timestamp: at.getTime() / 1000,
    });
    expect(verifySignature(secret, `${body} `, header, { now: at })).toEqual({
      valid: false,
      reason: 'no-matching-signature',
    });
    expect(verifySignature('whsec_other', body, header, { now: at })).toEqual({
      valid: false,
      reason: 'no-matching-signature',
    });
    expect(verifySignature(secret, body, header, { now: later(301) })).toEqual({
      valid: false,
      reason: 'timestamp-outside-tolerance',
    });
    expect(verifySignature(secret, body, header, { now: later(900), toleranceSeconds: 1000 }).valid).toBe(
      true,
    );
  });

  it('accepts any of several v1 signatures (secret rotation) and refuses malformed headers', () => {
    // Prepare
    const good = signPayload(secret, body, at);
    const t = at.getTime() / 1000;
    const rotated = `t=${t},v1=${'0'.repeat(64)},${good.split(',')[1]}`;

    // Act + Assess
    expect(verifySignature(secret, body, rotated, { now: at }).valid).toBe(true);
    for (const header of [
      '',
      'garbage',
      `t=${t}`,
      'v1=abc',
      `t=x,v1=${'a'.repeat(64)}`,
      `t=${t},v1=${'a'.repeat(63)}`,
    ]) {
      expect(verifySignature(secret, body, header, { now: at })).toEqual({
        valid: false,
        reason: 'malformed-header',
      });
    }
  });

  it('generates distinct whsec_ secrets of 32 random bytes', () => {
    const a = generateWebhookSecret();
    const b = generateWebhookSecret();
    expect(a).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
    expect(a).not.toBe(b);
  });
});
