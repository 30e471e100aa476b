/**
 * E-mail addresses, checked in linear time and bounded before any pattern runs (RFC 5321: at most 254
 * characters, a local part of at most 64).
 *
 * Two languages:
 * - `dgiEmailSchema`, for every address written into an rFE (receiver, issuer): exactly the DGI XSD's
 *   `emailType`. Its pattern `[0-9a-zA-Z#$%]([-.\w]*[0-9a-zA-Z#$%'\\.\\-_])*@([0-9a-zA-Z][-\w]*[0-9a-zA-Z]\.)+[a-zA-Z]{2,9}`
 *   nests quantifiers (exponential backtracking when translated literally), but it describes a simple
 *   language: the inner class is contained in the outer one, so the local part is a first character from
 *   `[0-9a-zA-Z#$%]` then any run of the union ending with a character of the second class. XSD's `\w` is
 *   every character outside the Unicode categories P, Z and C, i.e. `[\p{L}\p{M}\p{N}\p{S}]`. The class's tail
 *   `'\\.\\-_` is read by libxml2 (our XSD validator, and the judge in the tests) as the characters `'`, `\`,
 *   `.` and `_` — not as a range `\`..`_`, so `]` and `^` cannot end the local part. The translation below is
 *   that language with no nested quantifier.
 * - `mailboxSchema`, for addresses we only send mail to (the resend route): an ASCII dot-atom local part
 *   and a host name, which is what SES delivers to.
 */
import * as z from 'zod';

export const MAX_EMAIL_LENGTH = 254;
export const MAX_LOCAL_PART_LENGTH = 64;

/** The DGI `emailType`, as an equivalent pattern without nested quantifiers. */
export const DGI_EMAIL_PATTERN =
  /^[0-9a-zA-Z#$%](?:[-.#%'\\_\p{L}\p{M}\p{N}\p{S}]*[0-9a-zA-Z#$%'\\._])?@(?:[0-9a-zA-Z][-\p{L}\p{M}\p{N}\p{S}]*[0-9a-zA-Z]\.)+[a-zA-Z]{2,9}$/u;

/** RFC 5322 dot-atom local part, host-name labels (≤ 63, no leading/trailing hyphen), an alphabetic TLD. */
export const MAILBOX_PATTERN =
  /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}$/;

/** The local part's limit (the whole address's is the schema's `max`). */
function localPartTooLong(address: string): boolean {
  return address.lastIndexOf('@') > MAX_LOCAL_PART_LENGTH;
}

/** zod runs every check: the pattern is skipped past the length limit, so it never sees more than 254 characters. */
function emailSchema(pattern: RegExp) {
  return z
    .string()
    .max(MAX_EMAIL_LENGTH)
    .check((ctx) => {
      if (ctx.value.length > MAX_EMAIL_LENGTH) return;
      const problem = localPartTooLong(ctx.value)
        ? `must have at most ${MAX_LOCAL_PART_LENGTH} characters before the @`
        : pattern.test(ctx.value)
          ? undefined
          : 'must be a valid e-mail address';
      if (problem) ctx.issues.push({ code: 'custom', input: ctx.value, message: problem });
    })
    .meta({ format: 'email' });
}

export const dgiEmailSchema = emailSchema(DGI_EMAIL_PATTERN);
export const mailboxSchema = emailSchema(MAILBOX_PATTERN);

export function isDgiEmail(address: string): boolean {
  return address.length <= MAX_EMAIL_LENGTH && !localPartTooLong(address) && DGI_EMAIL_PATTERN.test(address);
}
