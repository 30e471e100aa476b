import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type HkaSandbox, startHkaSandbox } from '#local/hka-sandbox/index';
import { factu } from './factu.ts';

describe('factu ruc-dv --verify (HKA ConsultarRucDV)', () => {
  let sandbox: HkaSandbox;
  beforeAll(async () => {
    sandbox = await startHkaSandbox({ seed: 21 });
    const [tokens] = sandbox.tokens;
    // The child process inherits these: credentials only ever come from the environment.
    process.env.FACTU_HKA_TOKEN_EMPRESA = tokens!.tokenEmpresa;
    process.env.FACTU_HKA_TOKEN_PASSWORD = tokens!.tokenPassword;
  });
  afterAll(async () => {
    delete process.env.FACTU_HKA_TOKEN_EMPRESA;
    delete process.env.FACTU_HKA_TOKEN_PASSWORD;
    await sandbox.close();
  });

  it('registered: name and DV, exit 0', async () => {
    // Act
    const run = await factu([
      'ruc-dv',
      '2588017-1-831938',
      '--type',
      '2',
      '--verify',
      '--hka-endpoint',
      sandbox.url,
    ]);

    // Assess
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('registered: yes');
    expect(run.stdout).toContain('name: DISTRIBUIDORA EJEMPLO, S.A.');
    expect(run.stdout).toContain('dv: 20');
  });

  it('not registered at the DGI: exit 1 with HKA reason (--json)', async () => {
    // Act
    const run = await factu([
      'ruc-dv',
      '61302-14-999999',
      '--type',
      '2',
      '--verify',
      '--hka-endpoint',
      sandbox.url,
      '--json',
    ]);

    // Assess
    expect(run.code).toBe(1);
    expect(JSON.parse(run.stdout)).toMatchObject({ registered: false, reason: 'not-registered' });
  });

  it('HKA unreachable: exit 2, no token in the output', async () => {
    // Act
    const run = await factu([
      'ruc-dv',
      '2588017-1-831938',
      '--type',
      '2',
      '--verify',
      '--hka-endpoint',
      'http://127.0.0.1:9/ws/obj/v1.0/Service.svc',
    ]);

    // Assess
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('HKA could not answer');
    expect(run.stdout + run.stderr).not.toContain(process.env.FACTU_HKA_TOKEN_PASSWORD!);
  });
});
