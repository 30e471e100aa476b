import type { LocalStack } from './cloud.ts';

/** The human summary `npm start` prints: where everything is and how to issue a first document. */
export function describeStack(stack: LocalStack, stackFile: string): string {
  const line = (tenant: string, user: { role: string; email: string; totpSecret?: string }) =>
    `  ${tenant.padEnd(18)} ${user.role.padEnd(11)} ${user.email.padEnd(34)} ${user.totpSecret ?? ''}`.trimEnd();
  const users = stack.demo.tenants.flatMap((tenant) =>
    tenant.users.map((user) => line(tenant.tenantId, user)),
  );
  for (const user of stack.demo.platformUsers) users.push(line('(platform)', user));
  const password = stack.demo.tenants[0]?.users[0]?.password ?? stack.demo.platformUsers[0]?.password;
  const apiKeys = stack.demo.tenants.flatMap((tenant) =>
    tenant.apiKeys.map((key) => `  ${tenant.tenantId.padEnd(18)} ${key.role.padEnd(11)} ${key.secret}`),
  );
  // A data directory seeded before demo keys existed keeps its data, so it has none: say how to get them.
  if (apiKeys.length === 0) {
    apiKeys.push(
      '  none in this data directory (seeded by an older version): npm start -- --reset seeds them',
    );
  }
  return [
    '',
    `factu local cloud ready in ${(stack.startupMs / 1000).toFixed(1)} s`,
    '',
    `  Web console  ${stack.webUrl}  (sign in with a demo user below)`,
    `  API          ${stack.apiUrl}`,
    `  API docs     ${stack.docsUrl}`,
    `  Mail viewer  ${stack.mailUrl}`,
    `  HKA sandbox  ${stack.hkaSandboxUrl}`,
    `  Cognito      ${stack.cognito.endpoint}  pool ${stack.cognito.userPoolId}  client ${stack.cognito.clientId}`,
    `  Hosted UI    ${stack.cognito.hostedUiUrl}  (sign-in: npx factu login)`,
    '',
    `Demo users (password for all: ${password}; MFA is required: add the TOTP secret to an authenticator app):`,
    ...users,
    '',
    'Demo API keys (test keys: documents go to HKA demo; Authorization: Bearer <key>):',
    ...apiKeys,
    '',
    'Issue a document (paste into a shell at the repository root):',
    '',
    stack.example.curl,
    '',
    `Then GET ${stack.apiUrl}/v1/documents/<id> until status AUTHORIZED; /xml and /pdf give download URLs.`,
    `All of this as JSON: ${stackFile}. Logs: .local/logs/. Ctrl-C stops; npm start -- --reset starts over.`,
    '',
  ].join('\n');
}
