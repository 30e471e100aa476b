import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { webhookCommand } from '#shared/cli/commands/webhook';
import { UsageError } from '#shared/cli/io';
import { signPayload } from '#shared/webhooks/signature';

const body =
  '{"id":"evt-1","type":"folios.low","createdAt":"2026-12-06T15:00:00.000Z","data":{"available":3}}';
const at = new Date('2026-12-06T15:00:10.000Z');
const file = join(mkdtempSync(join(tmpdir(), 'factu-webhook-')), 'body.json');
writeFileSync(file, body);

describe('factu webhook verify', () => {
  it('exits 0 for a valid signature and 1 with the reason otherwise', () => {
    // Prepare
    const header = signPayload('whsec_cli', body, at);

    // Act
    const valid = webhookCommand(['verify', file], { secret: 'whsec_cli', header, now: at.toISOString() });
    const wrongSecret = webhookCommand(['verify', file], {
      secret: 'whsec_no',
      header,
      now: at.toISOString(),
    });
    const stale = webhookCommand(['verify', file], {
      secret: 'whsec_cli',
      header,
      now: '2026-12-06T16:00:00.000Z',
      tolerance: '60',
    });

    // Assess
    expect(valid).toMatchObject({ exitCode: 0, json: { valid: true, timestamp: at.getTime() / 1000 } });
    expect(wrongSecret).toMatchObject({
      exitCode: 1,
      json: { valid: false, reason: 'no-matching-signature' },
    });
    expect(stale).toMatchObject({
      exitCode: 1,
      json: { valid: false, reason: 'timestamp-outside-tolerance' },
    });
  });

  it('refuses missing options and a bad tolerance as usage errors', () => {
    expect(() => webhookCommand(['verify', file], { header: 't=1,v1=x' })).toThrow(UsageError);
    expect(() => webhookCommand(['verify', file], { secret: 's' })).toThrow(UsageError);
    expect(() => webhookCommand(['verify', file], { secret: 's', header: 'h', tolerance: '-1' })).toThrow(
      UsageError,
    );
    expect(() => webhookCommand(['sign', file], { secret: 's', header: 'h' })).toThrow(UsageError);
  });
});
