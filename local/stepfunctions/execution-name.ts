import { AwsServiceError } from '../standins/json-protocol.ts';

/**
 * Characters StartExecution refuses in a name (the API reference's list): white space, brackets `< > { } [ ]`,
 * wildcards `? *`, special characters `" # % \ ^ | ~ ` $ & , ; : /`, control characters (U+0000–001F,
 * U+007F–009F), lone surrogates and the non-characters U+FFFE, U+FFFF, U+10FFFF. Anything else is allowed,
 * non-ASCII letters and `.` included (CloudWatch logging prefers 0-9 A-Z a-z - _, but that is advice).
 */
// \p{Cc} is exactly U+0000–001F and U+007F–009F; \p{Cs} with the u flag matches only lone surrogates.
const FORBIDDEN = /[\s<>{}[\]?*"#%\\^|~`$&,;:/\ufffe\uffff\u{10ffff}]|\p{Cc}|\p{Cs}/u;

/**
 * StartExecution's name rules, with AWS's two different errors: the length (1–80) is a model constraint
 * (ValidationException), the characters are the service's own check (InvalidName).
 */
export function assertValidExecutionName(name: string): void {
  if (name.length < 1 || name.length > 80) {
    const bound = name.length < 1 ? 'greater than or equal to 1' : 'less than or equal to 80';
    throw new AwsServiceError(
      'ValidationException',
      `1 validation error detected: Value '${name}' at 'name' failed to satisfy constraint: Member must have length ${bound}`,
    );
  }
  if (FORBIDDEN.test(name)) throw new AwsServiceError('InvalidName', `Invalid Name: '${name}'`);
}
