import { REGION } from '../aws.ts';

/** The sender and recipients of an SES send request (v1 query API or v2 REST API). */
export type SendAddresses = { senders: string[]; recipients: string[] };

const ADDRESS = /[^\s<>(),;:"[\]]+@[^\s<>(),;:"[\]]+/g;
/** The mailbox simulator answers in every account, sandboxed or not. */
const SIMULATOR_DOMAIN = 'simulator.amazonses.com';

/**
 * The addresses an SES send request involves, or undefined when the request sends nothing. Covers what
 * aws-ses-v2-local serves: v2 `SendEmail` (Simple, Raw, Template) and `SendBulkEmail`, v1 `SendEmail` and
 * `SendRawEmail`. For raw messages without an explicit destination, the MIME headers name the recipients.
 */
export function sendAddresses(method: string, path: string, body: Buffer): SendAddresses | undefined {
  if (method !== 'POST') return undefined;
  if (path === '/v2/email/outbound-emails' || path === '/v2/email/outbound-bulk-emails') {
    const request = parseJson(body);
    const raw = request.Content?.Raw?.Data as string | undefined;
    const headers = raw ? mimeAddresses(Buffer.from(raw, 'base64')) : undefined;
    const destinations: Destination[] = [
      ...(request.Destination ? [request.Destination] : []),
      ...((request.BulkEmailEntries as Array<{ Destination?: Destination }> | undefined) ?? []).flatMap(
        (entry) => (entry.Destination ? [entry.Destination] : []),
      ),
    ];
    const listed = destinations.flatMap((destination) => [
      ...(destination.ToAddresses ?? []),
      ...(destination.CcAddresses ?? []),
      ...(destination.BccAddresses ?? []),
    ]);
    return {
      senders: request.FromEmailAddress ? [request.FromEmailAddress] : (headers?.senders ?? []),
      recipients: listed.length ? listed : (headers?.recipients ?? []),
    };
  }
  if (path === '/' || path === '') {
    const form = new URLSearchParams(body.toString('utf8'));
    const members = (prefix: string) =>
      [...form.entries()].filter(([name]) => name.startsWith(prefix)).map(([, value]) => value);
    const source = form.get('Source');
    if (form.get('Action') === 'SendEmail') {
      return {
        senders: source ? [source] : [],
        recipients: members('Destination.'),
      };
    }
    if (form.get('Action') === 'SendRawEmail') {
      const headers = mimeAddresses(Buffer.from(form.get('RawMessage.Data') ?? '', 'base64'));
      const listed = members('Destinations.member.');
      return {
        senders: source ? [source] : headers.senders,
        recipients: listed.length ? listed : headers.recipients,
      };
    }
  }
  return undefined;
}

/**
 * The addresses the sandbox refuses: every sender and recipient must be a verified identity — the address
 * itself, or a verified domain (subdomains included) — unless it is the mailbox simulator.
 */
export function unverifiedAddresses(
  addresses: SendAddresses,
  verifiedIdentities: Iterable<string>,
): string[] {
  const identities = new Set([...verifiedIdentities].map((identity) => identity.toLowerCase()));
  const verified = (address: string) => {
    const bare = (address.match(ADDRESS)?.[0] ?? address).toLowerCase();
    const domain = bare.slice(bare.lastIndexOf('@') + 1);
    const domains = domain.split('.').map((_, index, parts) => parts.slice(index).join('.'));
    return (
      identities.has(bare) || domain === SIMULATOR_DOMAIN || domains.some((parent) => identities.has(parent))
    );
  };
  return [...new Set([...addresses.senders, ...addresses.recipients])].filter(
    (address) => !verified(address),
  );
}

/** SES's refusal, word for word (the region is upper-cased, the identities listed as given). */
export function notVerifiedMessage(addresses: string[]): string {
  return `Email address is not verified. The following identities failed the check in region ${REGION.toUpperCase()}: ${addresses.join(', ')}`;
}

type Destination = { ToAddresses?: string[]; CcAddresses?: string[]; BccAddresses?: string[] };

// biome-ignore lint/suspicious/noExplicitAny: a request body of either SES API, read defensively
function parseJson(body: Buffer): any {
  try {
    return JSON.parse(body.toString('utf8')) ?? {};
  } catch {
    return {};
  }
}

/** From / To / Cc / Bcc of a raw MIME message's header block (folded lines joined). */
function mimeAddresses(message: Buffer): SendAddresses {
  const text = message.toString('utf8');
  const end = text.search(/\r?\n\r?\n/);
  const head = (end < 0 ? text : text.slice(0, end)).replace(/\r?\n[ \t]+/g, ' ');
  const field = (names: string[]) =>
    head
      .split(/\r?\n/)
      .filter((line) => names.includes(line.slice(0, line.indexOf(':')).trim().toLowerCase()))
      .flatMap((line) => line.slice(line.indexOf(':') + 1).match(ADDRESS) ?? []);
  return { senders: field(['from']), recipients: field(['to', 'cc', 'bcc']) };
}
