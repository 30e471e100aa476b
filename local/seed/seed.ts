import { spawn } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureDemoUsers, type HostedUiClient } from './cognito-users.ts';
import { DEMO_TENANTS, type DemoUser, PLATFORM_ADMIN, tenantUsers } from './demo-tenants.ts';

const SEED_PROCESS = fileURLToPath(new URL('./seed-tenants-process.ts', import.meta.url));

/** A demo user with the secret of the authenticator set up at seeding (absent if the pool has no MFA). */
export type SeededUser = DemoUser & { totpSecret?: string };

export type DemoSection = {
  tenants: Array<{
    tenantId: string;
    name: string;
    ruc: string;
    dv: string;
    users: SeededUser[];
    hka: { tokenEmpresa: string };
    signingKeyId?: string;
    /** One `test` API key per role a key may hold (USER, OPERATOR): `Authorization: Bearer <secret>`. */
    apiKeys: Array<{ role: string; secret: string }>;
  }>;
  platformUsers: SeededUser[];
};

export type HkaTokens = Array<{ tokenEmpresa: string; tokenPassword: string; ruc?: string; dv?: string }>;

/**
 * Seeds the demo tenants once per data directory (`seed.json` records it; `--reset` starts over): Cognito users,
 * then tenant data through the application's provisioning code in a child process with a function environment.
 */
export async function seedDemo(options: {
  dataDir: string;
  repoRoot: string;
  cognitoEndpoint: string;
  userPoolId: string;
  /** Where the demo users sign in once to set up their authenticator. */
  hostedUi: HostedUiClient;
  hkaTokens: HkaTokens;
  functionEnvironment: Record<string, string>;
  computeDv(ruc: string): Promise<string>;
  log(message: string): void;
}): Promise<DemoSection> {
  const marker = join(options.dataDir, 'seed.json');
  if (existsSync(marker)) {
    const seeded = JSON.parse(readFileSync(marker, 'utf8')) as DemoSection;
    // Seeded before demo API keys existed: none (`npm start -- --reset` seeds them).
    for (const tenant of seeded.tenants) tenant.apiKeys ??= [];
    return seeded;
  }

  const tenants = await Promise.all(
    DEMO_TENANTS.map(async (tenant, index) => {
      const token = options.hkaTokens[index] ?? {
        tokenEmpresa: `local-token-${tenant.tenantId}`,
        tokenPassword: `local-password-${tenant.tenantId}`,
      };
      const ruc = token.ruc ?? tenant.fallbackRuc;
      const dv = token.dv ?? (await options.computeDv(ruc));
      return { tenant, token, ruc, dv };
    }),
  );
  const totpSecrets = await ensureDemoUsers(
    options.cognitoEndpoint,
    options.userPoolId,
    [
      ...tenants.flatMap(({ tenant }) =>
        tenantUsers(tenant).map((user) => ({ ...user, tenantId: tenant.tenantId })),
      ),
      PLATFORM_ADMIN,
    ],
    options.hostedUi,
  );
  const seeded = (user: DemoUser): SeededUser =>
    totpSecrets[user.email] ? { ...user, totpSecret: totpSecrets[user.email] } : user;
  const keys = await runSeedProcess(options, {
    tenants: tenants.map(({ tenant, token, ruc, dv }) => ({
      tenantId: tenant.tenantId,
      ruc,
      dv,
      name: tenant.name,
      tradeName: tenant.tradeName,
      address: tenant.address,
      location: tenant.location,
      phones: tenant.phones,
      emails: [`facturas@${tenant.emailDomain}`],
      hka: { tokenEmpresa: token.tokenEmpresa, tokenPassword: token.tokenPassword },
      users: tenantUsers(tenant).map((user) => ({
        email: user.email,
        name: `${user.role} ${tenant.tradeName}`,
        role: user.role,
      })),
    })),
  });
  const demo: DemoSection = {
    tenants: tenants.map(({ tenant, token, ruc, dv }) => ({
      tenantId: tenant.tenantId,
      name: tenant.name,
      ruc,
      dv,
      users: tenantUsers(tenant).map(seeded),
      hka: { tokenEmpresa: token.tokenEmpresa },
      signingKeyId: keys.find((key) => key.tenantId === tenant.tenantId)?.kmsKeyId,
      apiKeys: keys.find((key) => key.tenantId === tenant.tenantId)?.apiKeys ?? [],
    })),
    platformUsers: [seeded(PLATFORM_ADMIN)],
  };
  // The marker holds the demo users' passwords and TOTP secrets: owner only.
  writeFileSync(marker, JSON.stringify(demo, null, 2), { mode: 0o600 });
  return demo;
}

async function runSeedProcess(
  options: {
    dataDir: string;
    repoRoot: string;
    functionEnvironment: Record<string, string>;
    log(message: string): void;
  },
  input: unknown,
): Promise<Array<{ tenantId: string; kmsKeyId: string; apiKeys: Array<{ role: string; secret: string }> }>> {
  const outputFile = join(options.dataDir, 'seed-output.json');
  // `--import tsx` resolves from the working directory: the repository's own tsx loads the TypeScript sources.
  // Outside any function: no tenant role to assume (the union of the functions' environments would name one
  // function's role, whose grants are not the seeder's), so tenant scopes use the seeder's own credentials.
  const { TENANT_ROLE_ARN: _notTheSeeders, ...environment } = options.functionEnvironment;
  const child = spawn(process.execPath, ['--import', 'tsx', SEED_PROCESS, outputFile], {
    cwd: options.repoRoot,
    env: { PATH: process.env.PATH ?? '', POWERTOOLS_LOG_LEVEL: 'WARN', ...environment },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stdin.end(JSON.stringify(input));
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  if (code !== 0) throw new Error(`seeding the demo tenants failed (exit ${code}):\n${output.trim()}`);
  if (output.trim()) options.log(`seed: ${output.trim()}`);
  const result = JSON.parse(readFileSync(outputFile, 'utf8')) as {
    tenants: Array<{ tenantId: string; kmsKeyId: string; apiKeys: Array<{ role: string; secret: string }> }>;
  };
  rmSync(outputFile, { force: true });
  return result.tenants;
}
