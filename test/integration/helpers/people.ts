import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { inject } from 'vitest';
import { signInWithHostedUi } from '#local/hosted-ui/browser';
import { hostedUiClient, pollUntil, sentMails } from './local-cloud.ts';

/** The password a person chooses on the hosted UI's "change password" page after an invitation. */
export const CHOSEN_PASSWORD = 'Chosen-Passw0rd!';

/** The invitation Cognito e-mailed to `email` (the local mail viewer), and the temporary password it carries. */
export async function invitationOf(email: string): Promise<{ subject: string; temporaryPassword: string }> {
  const mails = await pollUntil(
    sentMails,
    (all) => all.some((mail) => mail.destination.to.includes(email)),
    15_000,
  );
  const mail = mails.find((candidate) => candidate.destination.to.includes(email));
  if (!mail) throw new Error(`no invitation reached ${email}`);
  const text = mail.body.text ?? mail.body.html ?? '';
  const temporaryPassword = /temporary password is (\S+)\.$/m.exec(text.trim())?.[1];
  if (!temporaryPassword) throw new Error(`the mail to ${email} carries no temporary password: ${text}`);
  return { subject: mail.subject, temporaryPassword };
}

/**
 * A first sign-in as an invited person does it on the hosted UI: e-mail and temporary password, a new password,
 * then the authenticator's set-up. Returns the ID token and the authenticator secret for later sign-ins.
 */
export async function acceptInvitation(email: string): Promise<{ token: string; totpSecret: string }> {
  const { temporaryPassword } = await invitationOf(email);
  const { tokens, enrolledTotpSecret } = await signInWithHostedUi(hostedUiClient(), {
    username: email,
    password: temporaryPassword,
    newPassword: CHOSEN_PASSWORD,
  });
  if (!tokens.idToken || !enrolledTotpSecret) throw new Error(`the first sign-in of ${email} did not finish`);
  return { token: tokens.idToken, totpSecret: enrolledTotpSecret };
}

/** A later sign-in of a person who accepted an invitation. */
export async function signInAgain(email: string, totpSecret: string): Promise<string> {
  const { tokens } = await signInWithHostedUi(hostedUiClient(), {
    username: email,
    password: CHOSEN_PASSWORD,
    totpSecret,
  });
  if (!tokens.idToken) throw new Error(`no ID token for ${email}`);
  return tokens.idToken;
}

/** Every log file the local cloud wrote (functions and emulators), concatenated. */
export function localLogs(): string {
  const dir = inject('logsDir');
  return readdirSync(dir)
    .map((name) => readFileSync(join(dir, name), 'utf8'))
    .join('\n');
}

/** The claims of an ID token (already verified by whoever issued it to us). */
export function claimsOf(token: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8'));
}
