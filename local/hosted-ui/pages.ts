/**
 * The hosted UI's pages: plain, accessible HTML (labels, autocomplete hints, errors announced), no scripts and
 * no external assets. Every form posts back to the hosted UI with its CSRF token and the authorization
 * request's query.
 */

export function escapeHtml(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (character) =>
      ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[character] ?? character,
  );
}

const STYLE = `body{font-family:system-ui,sans-serif;background:#f4f5f7;margin:0}
main{max-width:24rem;margin:4rem auto;background:#fff;padding:2rem;border-radius:.5rem;box-shadow:0 1px 4px #0002}
label{display:block;margin:1rem 0 .25rem}input{width:100%;box-sizing:border-box;padding:.5rem;font-size:1rem}
button{margin-top:1.5rem;width:100%;padding:.6rem;font-size:1rem}
[role=alert]{color:#a00;background:#fee;padding:.5rem;border-radius:.25rem}
code{word-break:break-all;background:#eee;padding:.1rem .25rem}`;

function page(title: string, body: string): string {
  return `<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title><style>${STYLE}</style></head>
<body><main>
<h1>${escapeHtml(title)}</h1>
${body}
</main></body>
</html>
`;
}

function alert(message: string | undefined): string {
  return message ? `<p role="alert">${escapeHtml(message)}</p>` : '';
}

type FormContext = { action: string; csrf: string; error?: string };

function form(context: FormContext, fields: string, submit: string, session?: string): string {
  return `${alert(context.error)}
<form method="post" action="${escapeHtml(context.action)}">
<input type="hidden" name="_csrf" value="${escapeHtml(context.csrf)}">
${session ? `<input type="hidden" name="session" value="${escapeHtml(session)}">` : ''}
${fields}
<button type="submit">${escapeHtml(submit)}</button>
</form>`;
}

export function signInPage(context: FormContext & { username?: string }): string {
  return page(
    'Sign in',
    form(
      context,
      `<label for="username">Email</label>
<input id="username" name="username" type="email" autocomplete="username" required value="${escapeHtml(context.username ?? '')}">
<label for="password">Password</label>
<input id="password" name="password" type="password" autocomplete="current-password" required>`,
      'Sign in',
    ),
  );
}

export function newPasswordPage(context: FormContext & { session: string }): string {
  return page(
    'Change password',
    `<p>Please enter a new password.</p>
${form(
  context,
  `<label for="newPassword">New password</label>
<input id="newPassword" name="newPassword" type="password" autocomplete="new-password" required>
<label for="confirmPassword">Enter new password again</label>
<input id="confirmPassword" name="confirmPassword" type="password" autocomplete="new-password" required>`,
  'Send',
  context.session,
)}`,
  );
}

export function mfaSetupPage(
  context: FormContext & { session: string; secret: string; uri: string },
): string {
  return page(
    'Set up an authenticator app',
    `<p>Multi-factor authentication is required. Add this account to an authenticator app (scan or paste the
link, or type the secret key), then enter the 6-digit code it shows.</p>
<p>Secret key: <code id="totp-secret">${escapeHtml(context.secret)}</code></p>
<p>Link: <code id="totp-uri">${escapeHtml(context.uri)}</code></p>
${form(
  context,
  `<label for="code">Code</label>
<input id="code" name="code" inputmode="numeric" pattern="[0-9]{6}" autocomplete="one-time-code" required>
<label for="deviceName">Device name (optional)</label>
<input id="deviceName" name="deviceName">`,
  'Verify',
  context.session,
)}`,
  );
}

export function mfaPage(context: FormContext & { session: string }): string {
  return page(
    'Multi-factor authentication',
    `<p>Enter the 6-digit code from your authenticator app.</p>
${form(
  context,
  `<label for="code">Code</label>
<input id="code" name="code" inputmode="numeric" pattern="[0-9]{6}" autocomplete="one-time-code" required>`,
  'Sign in',
  context.session,
)}`,
  );
}

export function errorPage(error: string): string {
  return page(
    'Error',
    `<p role="alert">An error was encountered with the requested page.</p><p><code>${escapeHtml(error)}</code></p>`,
  );
}
