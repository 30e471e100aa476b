import { SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import { attributeValue, type StoredUser } from './cognito-directory.ts';

/**
 * Cognito's own e-mails (the invitation with the temporary password of AdminCreateUser, verification codes),
 * delivered as Cognito's default e-mail sending does — from its own address, outside the account's SES — into
 * the local mail viewer. Replaces cognito-local's console sender, which printed codes and temporary
 * passwords into the emulator's log. Texts are Cognito's defaults (the template configures no custom ones).
 */

/** Cognito's sender when the pool uses COGNITO_DEFAULT e-mail sending. */
export const COGNITO_FROM_ADDRESS = 'no-reply@verificationemail.com';

type Message = { __code?: string; emailSubject?: string; emailMessage?: string };

// biome-ignore lint/suspicious/noExplicitAny: cognito-local's context (a pino logger holder)
type Context = { logger: any };

export class CognitoMailSender {
  private client: SESv2Client | undefined;

  /** Where mail goes: the SES emulator (known once it has started); nothing is sent before. */
  deliverThrough(sesEndpoint: string): void {
    this.client = new SESv2Client({
      region: 'us-east-1',
      endpoint: sesEndpoint,
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    });
  }

  async sendEmail(ctx: Context, user: StoredUser, destination: string, message: Message): Promise<void> {
    if (!this.client) {
      ctx.logger.warn({ destination }, 'cognito e-mail not delivered: no mail endpoint yet');
      return;
    }
    const code = message.__code ?? '';
    // An invited user must still change the temporary password: the message is the invitation.
    const invitation = user.UserStatus === 'FORCE_CHANGE_PASSWORD';
    const username = attributeValue(user, 'email') ?? user.Username;
    const subject =
      message.emailSubject ?? (invitation ? 'Your temporary password' : 'Your verification code');
    const text =
      message.emailMessage ??
      (invitation
        ? `Your username is ${username} and temporary password is ${code}.`
        : `Your verification code is ${code}.`);
    await this.client.send(
      new SendEmailCommand({
        FromEmailAddress: COGNITO_FROM_ADDRESS,
        Destination: { ToAddresses: [destination] },
        Content: { Simple: { Subject: { Data: subject }, Body: { Text: { Data: text } } } },
      }),
    );
  }

  async sendSms(ctx: Context, _user: StoredUser, destination: string): Promise<void> {
    // The pool has no SMS configuration; Cognito would not send one either.
    ctx.logger.warn({ destination }, 'cognito SMS not delivered (no SMS configuration)');
  }
}
