// Help texts: `factu --help` (overview) and `factu <command> --help` (one command in full).

const INPUT = `Input: a file path, "-" for standard input, or nothing when the document is piped in.`;

const CONTEXT = `Emission context:
  --now <iso>             clock for time-bound rules and the emission date (e.g. 2026-11-22T12:00:00-05:00)
  --issuer <issuer.json>  issuer (default: HKA's demo issuer 155596713-2-2015 DV 59)
  --environment 1|2       1 production, 2 test (default 2)
  --number <n>            dNroDF, zero-padded to 10 digits (default 1)
  --point-of-sale <nnn>   dPtoFacDF (default: the document's pointOfSale)
  --security-code <9 d>   dSeg (default: random)`;

const SIGNING = `Signing:
  --sign                  sign; without a key, with a throw-away TEST certificate generated on the fly
                          (announced on standard error; never valid for the DGI)
  --p12 <file> --pin <pin>        sign with a PKCS#12 (.p12/.pfx) certificate of the issuer's RUC
  --key <pem> --cert <pem>        sign with a PEM private key and certificate
  --qr-secret <secret>    HMAC key of the QR JWT (default: a throw-away secret, announced on standard error)`;

const COMMON = `Common:
  --json                  machine-readable output on standard output (errors too)
  -h, --help              this help`;

const EXIT = 'Exit codes: 0 ok · 1 invalid document/CUFE/RUC, XSD failure or other error · 2 usage error';

export const HELP = `factu — Panama electronic invoicing (DGI rFE v1.00) tools

Usage:
  factu ruc-dv <ruc> --type 1|2           DGI check digits (DV) of a RUC (1 natural, 2 juridical)
  factu ruc-dv <ruc> --type 1|2 --verify  is the RUC registered at the DGI? (asks HKA ConsultarRucDV)
  factu cufe check <cufe>                 layout and check digit of a CUFE: "valid", or the reason
  factu cufe build <doc.json>             CUFE of a document in an emission context
  factu validate <doc.json>               computed document, or every violation with its path
  factu validate --hka <documento.json>   pre-flight of an HKA Enviar documento (JSON), HKA field names
  factu xml <doc.json> [--sign [--p12 <file> --pin <pin>]] [-o out.xml]
                                          rFE XML, XSD-checked (unsigned unless --sign or a key is given)
  factu pdf <doc.json> [--layout letter|ticket] [-o out.pdf]
                                          CAFE (printed representation); a test authorization unless
                                          --authorization is given
  factu batch template                    the CSV template of bulk issuing (POST /v1/batches)
  factu webhook verify --secret <whsec_…> --header <t=…,v1=…> [body]
                                          checks a webhook delivery's Factu-Signature
  factu login [--hosted-ui <url> --client-id <id>]
                                          sign in through the Cognito hosted UI in a browser; prints
                                          the ID token for the API (Authorization: Bearer …)

${INPUT}
Run "factu <command> --help" for a command's options.

${CONTEXT}

${SIGNING}

${COMMON}

${EXIT}
`;

export const COMMAND_HELP: Record<string, string> = {
  'ruc-dv': `factu ruc-dv <ruc|-> --type 1|2

Prints the two DGI check digits (DV) of a RUC. The DV depends on the RUC type:
  --type 1                natural person
  --type 2                juridical person
A malformed RUC prints the reason on standard error and exits 1.

  --verify                ask HKA's ConsultarRucDV (the DGI registry) instead: prints registered,
                          name and DV; exit 0 registered, 1 not registered, 2 HKA unavailable or
                          the credentials refused. Credentials from FACTU_HKA_TOKEN_EMPRESA and
                          FACTU_HKA_TOKEN_PASSWORD; endpoint from --hka-endpoint <url>, else
                          FACTU_HKA_ENDPOINT, else HKA's demo service.

Examples:
  factu ruc-dv 155596713-2-2015 --type 2        → 59
  factu ruc-dv 8-NT-1-24 --type 1 --json
  factu ruc-dv 2588017-1-831938 --type 2 --verify

${COMMON}

${EXIT}
`,
  cufe: `factu cufe check <cufe|->
factu cufe build <doc.json|-> [context options]

check: prints "valid" (exit 0) or the reason the CUFE is invalid (exit 1): length, layout, fields and the
       check digit.
build: validates the document and prints the CUFE it has in the emission context (--json: the fields too).

${INPUT}

${CONTEXT}

${COMMON}

${EXIT}
`,
  validate: `factu validate <doc.json|-> [--now <iso>] [--hka]

Validates a document (schema, DGI rules, arithmetic) and prints the computed document — every item and
total as the rFE carries it — or all the violations with their paths (exit 1), e.g.
  items[0].quantity: must be greater than 0

With --hka the file is HKA's Enviar \`documento\` in JSON form (the element tree of HKA's Postman
collection, or \`{ "documento": … }\`), as an integrator of HKA's API has it: it is read into our model and
pre-flighted; its stated totals are checked against the items. Every finding names HKA's field and
ours, e.g.
  error listaItems.item[0].cantidad (items[0].quantity): must be greater than 0
Exit 0 when valid (warnings allowed), 1 when not.

${INPUT}
  --now <iso>             clock for time-bound rules and the emission date
  --hka                   the input is an HKA documento

${COMMON}

${EXIT}
`,
  xml: `factu xml <doc.json|-> [--sign [--p12 <file> --pin <pin> | --key <pem> --cert <pem>]] [-o out.xml]

Builds the rFE XML of a document and checks it against the DGI XSD. Unsigned by default; with --sign
(or a key) the XMLDSig signature and gNoFirm/dQRCode are added. Without a key the signature uses a
throw-away self-issued TEST certificate, announced on standard error: useful to try the format, never
valid for the DGI. The XML is written even when the XSD rejects it (exit 1 then).

${INPUT}
  -o, --output <file>     write the XML to a file (default: standard output)

${CONTEXT}

${SIGNING}

${COMMON}

${EXIT}
`,
  pdf: `factu pdf <doc.json|-> [--layout letter|ticket] [--authorization auth.json] [-o out.pdf]

Renders the CAFE (Comprobante Auxiliar de Factura Electrónica) of a document.

Not authorized (no --authorization): the CUFE is built locally with a generated security code (and the
demo issuer unless --issuer), the rFE is signed for the QR digest (a throw-away TEST certificate unless a
key is given), and the protocol reads "SIN AUTORIZACIÓN — DOCUMENTO DE PRUEBA". In the test environment
(the default) the CAFE carries the legend "FE generada en ambiente de pruebas - sin valor comercial ni
fiscal". Standard error says all of this.

Authorized: --authorization <auth.json> with { cufe, qr, protocol, authorizedAt } as HKA returned them.
Numbering, environment and security code are taken from that CUFE, and the document must rebuild exactly
that CUFE — same type, issuer, emission date and numbering (exit 1 otherwise).

${INPUT}
  --layout letter|ticket  page layout (default: what the document's cafeFormat/cafeLayout says)
  --authorization <file>  the document's authorization (see above)
  -o, --output <file>     write the PDF to a file (default: standard output, never a terminal)

${CONTEXT}

${SIGNING}

${COMMON}

${EXIT}
`,
  login: `factu login [--hosted-ui <url> --client-id <id>] [--port <n>] [--scope "<scopes>"] [--no-browser] [--json]

Signs you in to the API through the Cognito hosted UI, as a native app does (RFC 8252): it listens on
http://localhost:<port>/callback, prints the sign-in URL on standard error and opens it in your browser;
you sign in there (password, then your authenticator's code; a first sign-in asks for a new password
and sets up the authenticator); the hosted UI redirects back with a code, which is traded for tokens
with PKCE. Prints the ID token, ready for "Authorization: Bearer …":

  TOKEN=$(npx factu login)

The same against AWS's hosted UI and the local cloud's. The app client must list the redirect URI
among its callback URLs (the deployed web client lists http://localhost:8976/callback).

  --hosted-ui <url>       the user pool's domain, e.g. https://factu-prod-auth.auth.us-east-1.amazoncognito.com
                          (default: the local cloud's, from .local/stack.json, written by npm start)
  --client-id <id>        the web app client (default: the local cloud's)
  --port <n>              loopback port of the redirect (default 8976)
  --scope "<scopes>"      OAuth scopes (default "openid email profile"; openid gives the ID token)
  --timeout <seconds>     how long to wait for the sign-in (default 300)
  --no-browser            only print the URL
  --json                  all tokens: idToken, accessToken, refreshToken, expiresIn, tokenType

Exit codes: 0 signed in · 1 sign-in refused, cancelled or timed out · 2 usage error
`,
  batch: `factu batch template [--json]

Prints the CSV template of bulk issuing: the header and an example document of two lines. One line per
line item; the lines of a document share its "reference" (unique in the batch, ≤ 64 characters) and need
not be adjacent. Document columns (receiver, payment, …) are read from the document's first line; later
lines may repeat them or leave them empty. Empty cells are absent fields. UTF-8, comma- or
semicolon-separated, ≤ 10 MiB and ≤ 10,000 documents. Upload it with the URL of POST /v1/batch-uploads,
then POST /v1/batches {"uploadId": …}.

  --json                  the columns with their level (document or item) and meaning, and the CSV

  factu batch template > ventas.csv

Exit codes: 0 ok · 2 usage error
`,
  webhook: `factu webhook verify --secret <whsec_…> --header <t=…,v1=…> [--tolerance <s>] [body.json|-]

Checks the Factu-Signature header of a webhook delivery against the exact body received (bytes as they
arrived: pipe them with printf or a file, never re-serialized JSON): the HMAC-SHA256 of "<t>.<body>" with
the endpoint's secret, compared in constant time, and the timestamp within the tolerance of now.

  --secret <whsec_…>      the endpoint's signing secret (shown once, by POST /v1/webhooks)
  --header <value>        the Factu-Signature header, e.g. t=1765033200,v1=5f0c…
  --tolerance <seconds>   how far the timestamp may be from now (default 300)
  --now <iso>             the clock to compare with (default: now)
  --json                  {"valid": true, "timestamp": …} or {"valid": false, "reason": …}

  factu webhook verify --secret "$SECRET" --header "$SIG" < body.json

Exit codes: 0 valid · 1 invalid (the reason is printed) · 2 usage error
`,
};
