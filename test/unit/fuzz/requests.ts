import { randomUUID } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import fc from 'fast-check';
import * as z from 'zod';
import type { ApiRoute } from '#infra/routes';
import { userPrincipalOf } from '#shared/auth/authorize';
import { computeRucDv } from '#shared/fiscal/ruc-dv';
import type { ApiEvent } from '#shared/http/event';
import { generateTestCertificate } from '#shared/signing/test-certificate';
import { pngImage } from '#test/support/images';
import { tenantProfile } from '../app/fixtures.ts';
import { TENANT } from '../app/helpers.ts';
import { OTHER_TENANT, SEEDED_DOCUMENTS, SEEDED_USERS, type SeededDocuments } from './world.ts';

/** One request as a client can shape it; API Gateway turns it into the proxy event. */
export type FuzzRequest = {
  /** The ID token's payload (`null`: no authorizer claims at all). */
  claims: Record<string, unknown> | null;
  pathParameters: Record<string, string>;
  query: Array<[string, string]>;
  headers: Array<[string, string]>;
  body: string | null;
};

/** What the generators know of a route: its operation, and valid values for it in the seeded world. */
export type RouteContext = {
  route: ApiRoute;
  pathParameterNames: string[];
  queryNames: string[];
  takesBody: boolean;
  documents: SeededDocuments;
  /** The HKA sandbox's token pair of the tenant (known once the world runs). */
  hkaTokens: () => { tokenEmpresa: string; tokenPassword: string };
};

/**
 * The REST (v1) proxy event API Gateway sends for `request` on `route`: the authorizer's context for the ID
 * token's claims (shared/auth/authorize.ts), single-value maps keeping the last of repeated names, the body as text (this API
 * declares no binary media types).
 */
export function proxyEvent(context: RouteContext, request: FuzzRequest, requestId: string): ApiEvent {
  const { path } = context.route.operation;
  // Maps, not plain objects: a header or parameter named like an Object.prototype member is an ordinary name.
  const grouped = (pairs: Array<[string, string]>) => {
    const byName = new Map<string, string[]>();
    for (const [name, value] of pairs) byName.set(name, [...(byName.get(name) ?? []), value]);
    return byName;
  };
  const multiValueHeaders = grouped(request.headers);
  const multiValueQuery = grouped(request.query);
  const all = (values: Map<string, string[]>) => (values.size ? Object.fromEntries(values) : null);
  const last = (values: Map<string, string[]>) =>
    values.size ? Object.fromEntries([...values].map(([name, every]) => [name, every.at(-1)!])) : null;
  const concretePath = path.replace(/\{([^}]+)\}/g, (_, name: string) =>
    encodeURIComponent(request.pathParameters[name] ?? ''),
  );
  return {
    resource: path,
    path: concretePath,
    httpMethod: context.route.operation.method.toUpperCase(),
    headers: last(multiValueHeaders),
    multiValueHeaders: all(multiValueHeaders),
    queryStringParameters: last(multiValueQuery),
    multiValueQueryStringParameters: all(multiValueQuery),
    pathParameters: context.pathParameterNames.length ? request.pathParameters : null,
    stageVariables: null,
    requestContext: {
      requestId,
      resourcePath: path,
      httpMethod: context.route.operation.method.toUpperCase(),
      stage: 'v1',
      ...(request.claims
        ? {
            authorizer: {
              ...userPrincipalOf({
                sub: String(request.claims.sub ?? ''),
                email: typeof request.claims.email === 'string' ? request.claims.email : undefined,
                tenantId:
                  typeof request.claims['custom:tenantId'] === 'string'
                    ? request.claims['custom:tenantId']
                    : undefined,
                groups: request.claims['cognito:groups'],
              }),
              tenantStatus: 'active',
            },
          }
        : {}),
    },
    body: request.body,
    isBase64Encoded: false,
  } as ApiEvent;
}

// --- values -----------------------------------------------------------------------------------------

/** Names that are properties of every plain object: looked up in a plain object, they find a function. */
export const PROTOTYPE_NAMES = [
  '__proto__',
  'constructor',
  'toString',
  'valueOf',
  'hasOwnProperty',
  'isPrototypeOf',
  '__defineGetter__',
  'prototype',
];

/** Short strings of any kind: control characters, lone surrogates, non-characters, astral code points. */
const oddString = fc.oneof(
  fc.string({ maxLength: 24 }),
  fc.string({ unit: 'binary', maxLength: 24 }),
  fc.constantFrom(
    '',
    ' ',
    '\u0000',
    '\u001f',
    '\ud800',
    '\udfff',
    '\ufffe',
    '\uffff',
    'a\u0000b',
    '\r\n',
    '𝄞',
  ),
);

/** Strings that stay short enough for any field's regular expression to answer at once. */
const text = fc.oneof(
  { weight: 3, arbitrary: oddString },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 60 }) },
);

/** Long text (up to 200 KB): where a field has no bound, it reaches the item and response size limits. */
const longText = fc
  .tuple(fc.constantFrom('x', 'ñ', '𝄞', '<&>', '\u0007'), fc.integer({ min: 200, max: 100_000 }))
  .map(([unit, count]) => unit.repeat(count));

const oddNumber = fc.oneof(
  fc.double(),
  fc.integer(),
  fc.constantFrom(0, -0, 1e308, -1e308, 5e-324, 2 ** 53 + 1, -1, 0.1 + 0.2, 1e21),
);

/** Numbers as JSON text can write them but JavaScript cannot hold them exactly. */
const oddNumberText = fc.constantFrom(
  '1e400',
  '-1e400',
  '1e-400',
  '123456789012345678901234567890',
  '0.0000000000000000000000000001',
  '-0',
  '1E+2',
);

/** Any JSON value, objects keyed by ordinary and prototype names. */
export const anyJson: fc.Arbitrary<unknown> = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constant(null),
    fc.boolean(),
    oddNumber,
    text,
    fc.array(tie('value'), { maxLength: 5 }),
    fc.dictionary(fc.oneof(text, fc.constantFrom(...PROTOTYPE_NAMES)), tie('value'), { maxKeys: 5 }),
  ),
})).value;

// --- bodies ------------------------------------------------------------------------------------------

const EXAMPLES_DIR = new URL('../../../examples/documents/', import.meta.url);
const exampleDocuments = readdirSync(EXAMPLES_DIR)
  .filter((name) => name.endsWith('.json'))
  .map((name) => JSON.parse(readFileSync(new URL(name, EXAMPLES_DIR), 'utf8')) as Record<string, unknown>);

let certificate: { p12: string; pin: string } | undefined;
/** A valid P12 of the tenant's RUC (generated once; the key import is the expensive part). */
export function validCertificate(): { p12: string; pin: string } {
  certificate ??= {
    p12: generateTestCertificate({ ruc: tenantProfile.ruc, dv: tenantProfile.dv, name: tenantProfile.name })
      .toP12('1234')
      .toString('base64'),
    pin: '1234',
  };
  return certificate;
}

/** A valid body for the route's operation, in the seeded world (undefined: the operation takes none). */
export function validBody(context: RouteContext): fc.Arbitrary<Record<string, unknown>> | undefined {
  switch (context.route.operation.operationId) {
    case 'issueDocument':
    case 'validateDocument':
      return fc.constantFrom(...exampleDocuments).map((document) => structuredClone(document));
    case 'cancelDocument':
      return fc.constant({ reason: 'Datos del receptor equivocados en la factura' });
    case 'emailDocument':
      return fc.oneof(fc.constant({}), fc.constant({ to: ['cliente@example.com', 'otro@example.org'] }));
    case 'assignFolios':
      return fc.record({
        userId: fc.constantFrom('user-1', 'user-2', 'operator-9'),
        quantity: fc.integer({ min: 1, max: 1000 }),
      });
    case 'createBranch':
      return fc.record({
        code: fc.stringMatching(/^[A-Z0-9]{4}$/),
        name: fc.constantFrom('Sucursal Colón', 'Tienda David'),
        address: fc.constant('Avenida Central, local 12'),
        location: fc.constant({
          code: '8-8-7',
          province: 'PANAMA',
          district: 'PANAMA',
          corregimiento: 'BELLA VISTA',
        }),
        phones: fc.constant(['507-1234']),
      });
    case 'createPointOfSale':
      return fc.record({
        code: fc.integer({ min: 1, max: 999 }).map((n) => String(n).padStart(3, '0')),
        name: fc.constant('Caja'),
      });
    case 'putHkaCredentials':
      return fc.oneof(
        {
          weight: 4,
          arbitrary: fc.constant(null).map(() => ({ environment: 'demo', ...context.hkaTokens() })),
        },
        {
          weight: 1,
          arbitrary: fc.record({
            environment: fc.constantFrom('demo', 'prod'),
            tokenEmpresa: fc.string({ minLength: 1, maxLength: 40 }),
            tokenPassword: fc.string({ minLength: 1, maxLength: 40 }),
          }),
        },
      );
    case 'putIssuingSettings':
      return fc.record(
        {
          channel: fc.constantFrom('hka-integration', 'emitter-signed'),
          environment: fc.constant('demo'),
          lowFolioThreshold: fc.integer({ min: 0, max: 1000 }),
          defaultBranch: fc.constant('0000'),
          defaultPointOfSale: fc.constant('001'),
          cafeLayout: fc.constantFrom('letter', 'ticket'),
        },
        { requiredKeys: [] },
      );
    case 'uploadCertificate':
      // A valid upload imports a key into KMS (a 4096-bit wrapping key is generated): mostly a wrong PIN.
      return fc.oneof(
        { weight: 1, arbitrary: fc.constant(null).map(() => validCertificate()) },
        { weight: 4, arbitrary: fc.constant(null).map(() => ({ ...validCertificate(), pin: 'wrong' })) },
      );
    case 'createTenant':
      return fc
        .record({
          ruc: fc.integer({ min: 10_000, max: 99_999 }).map((n) => `1559${n}-2-2024`),
          name: fc.constantFrom('EMPRESA FUZZ, S.A.', 'Ñandú Comercial'),
          address: fc.constant('Calle 50, Edificio Fuzz'),
          locationCode: fc.constantFrom('8-8-7', '4-1-1', '12-5-2'),
          adminEmail: fc.integer({ min: 1, max: 1_000_000 }).map((n) => `admin-${n}@fuzz.example.com`),
          adminName: fc.constant('Admin Fuzz'),
        })
        .map((tenant) => ({ ...tenant, dv: computeRucDv(tenant.ruc, '2') }));
    case 'updateTenant':
      return fc.record({ status: fc.constantFrom('active', 'suspended') });
    case 'inviteUser':
      return fc.record({
        email: fc.integer({ min: 1, max: 1_000_000 }).map((n) => `persona-${n}@tenant-a.test`),
        name: fc.constantFrom('Ana', 'José Pérez'),
        role: fc.constantFrom('ADMIN', 'USER', 'OPERATOR'),
      });
    case 'updateUser':
      return fc.record(
        { role: fc.constantFrom('ADMIN', 'USER', 'OPERATOR'), enabled: fc.boolean() },
        { requiredKeys: [] },
      );
    case 'putProfile':
      return fc.record(
        {
          name: fc.constant(tenantProfile.name),
          address: fc.constant('Calle 50, Edificio Demo'),
          locationCode: fc.constantFrom('8-8-7', '8-8-8'),
          phone: fc.constant('507-0001'),
          logo: fc.constantFrom(null, FUZZ_LOGO),
        },
        { requiredKeys: ['name', 'address', 'locationCode'] },
      );
    default:
      return context.takesBody ? fc.constant({}) : undefined;
  }
}

/** A small valid PNG logo, base64. */
const FUZZ_LOGO = pngImage(40, 40).toString('base64');

type Path = Array<string | number>;

/** Every path to a leaf value (string, number, boolean, null) of a JSON value. */
function leafPaths(value: unknown, path: Path = []): Path[] {
  if (Array.isArray(value)) return value.flatMap((member, index) => leafPaths(member, [...path, index]));
  if (value && typeof value === 'object') {
    return Object.entries(value).flatMap(([key, member]) => leafPaths(member, [...path, key]));
  }
  return [path];
}

function setAt(target: unknown, path: Path, value: unknown): unknown {
  if (path.length === 0) return value;
  const [head, ...rest] = path;
  const copy = (Array.isArray(target) ? [...target] : { ...(target as object) }) as Record<
    string | number,
    unknown
  >;
  Object.defineProperty(copy, head!, {
    value: setAt(copy[head!], rest, value),
    enumerable: true,
    writable: true,
    configurable: true,
  });
  return copy;
}

/**
 * The field's regular expression backtracks catastrophically on long e-mail-like text (issue row 1): only the
 * e-mail family puts text there, bounded so that a run ends.
 */
const isEmailPath = (path: Path) =>
  path.some((part) => typeof part === 'string' && /e-?mail|^to$/i.test(part));

/** A valid body with one leaf (never an e-mail address) replaced by `replacement`. */
function withLeaf(body: fc.Arbitrary<Record<string, unknown>>, replacement: fc.Arbitrary<unknown>) {
  return fc.tuple(body, fc.nat(), replacement).map(([value, pick, leaf]) => {
    const paths = leafPaths(value).filter((path) => path.length > 0 && !isEmailPath(path));
    if (paths.length === 0) return value;
    return setAt(value, paths[pick % paths.length]!, leaf) as Record<string, unknown>;
  });
}

/** Fields whose value is looked up in a DGI catalogue (rates, codes, units). */
const CATALOGUE_FIELD = /^(itbmsRate|rate|unit|method)$/;

/** A valid body with one catalogue-coded leaf replaced by `replacement`. */
function withCatalogueCode(body: fc.Arbitrary<Record<string, unknown>>, replacement: fc.Arbitrary<string>) {
  return fc.tuple(body, fc.nat(), replacement).map(([value, pick, code]) => {
    const paths = leafPaths(value).filter((path) =>
      path.some((part) => typeof part === 'string' && CATALOGUE_FIELD.test(part)),
    );
    if (paths.length === 0) return value;
    return setAt(value, paths[pick % paths.length]!, code) as Record<string, unknown>;
  });
}

/**
 * A valid body with a key added to one of its objects (any depth), as JSON text: a `__proto__` key arrives as
 * the own property JSON.parse makes of it.
 */
function withKey(
  body: fc.Arbitrary<Record<string, unknown>>,
  key: fc.Arbitrary<string>,
  value: fc.Arbitrary<unknown>,
): fc.Arbitrary<string> {
  return fc.tuple(body, fc.nat(), key, value).map(([valid, pick, name, member]) => {
    const copy = JSON.parse(JSON.stringify(valid)) as Record<string, unknown>;
    const objects: Array<Record<string, unknown>> = [];
    const walk = (node: unknown) => {
      if (Array.isArray(node)) node.forEach(walk);
      else if (node && typeof node === 'object') {
        objects.push(node as Record<string, unknown>);
        Object.values(node).forEach(walk);
      }
    };
    walk(copy);
    Object.defineProperty(objects[pick % objects.length]!, name, {
      value: member,
      enumerable: true,
      writable: true,
      configurable: true,
    });
    return JSON.stringify(copy);
  });
}

const json = (value: unknown) => JSON.stringify(value);

// --- the request families ----------------------------------------------------------------------------

/** Roles that may call the route, and a random identity of this tenant with one of them. */
function allowedClaims(context: RouteContext): fc.Arbitrary<Record<string, unknown> | null> {
  const permission = context.route.operation.permission;
  if (!permission) return fc.constant(null);
  const roles: Record<string, string[]> = {
    'settings:manage': ['ADMIN'],
    'documents:issue': ['ADMIN', 'USER'],
    'documents:read': ['ADMIN', 'USER', 'OPERATOR'],
    'documents:resend': ['ADMIN', 'USER', 'OPERATOR'],
    'users:manage': ['ADMIN'],
    'api-keys:manage': ['ADMIN'],
    'webhooks:manage': ['ADMIN'],
    'audit:read': ['ADMIN'],
    'catalogue:manage': ['ADMIN', 'USER'],
    'catalogue:read': ['ADMIN', 'USER', 'OPERATOR'],
    'reports:read': ['ADMIN', 'USER', 'OPERATOR'],
    'tenants:manage': ['SUPER_ADMIN'],
  };
  if (context.route.operation.scope === 'platform') {
    // A platform principal: no tenant.
    return fc.record({
      sub: fc.constant('super-1'),
      email: fc.constant('super@factu.test'),
      'cognito:groups': fc.constant(['SUPER_ADMIN']),
      token_use: fc.constant('id'),
      exp: fc.constant(Math.floor(Date.now() / 1000) + 3600),
      iat: fc.constant(Math.floor(Date.now() / 1000)),
    });
  }
  return fc.record({
    sub: fc.constantFrom('user-1', 'user-2'),
    email: fc.constant('usuario@tenant-a.test'),
    'custom:tenantId': fc.constant(TENANT),
    'cognito:groups': fc.constantFrom(...roles[permission]!).map((role) => [role]),
    token_use: fc.constant('id'),
    exp: fc.constant(Math.floor(Date.now() / 1000) + 3600),
    iat: fc.constant(Math.floor(Date.now() / 1000)),
  });
}

/** Identities of every kind: none, partial, another tenant, unknown or forbidden roles, odd values. */
function anyClaims(context: RouteContext): fc.Arbitrary<Record<string, unknown> | null> {
  return fc.oneof(
    allowedClaims(context),
    fc.constant(null),
    fc.constant({}),
    fc.record(
      {
        sub: fc.oneof(fc.constantFrom('user-1', ''), text),
        'custom:tenantId': fc.oneof(
          fc.constantFrom(TENANT, OTHER_TENANT, '', '_platform', 'a#b', 'x'.repeat(41), ...PROTOTYPE_NAMES),
          text,
        ),
        'cognito:groups': fc.oneof(
          fc.constantFrom(
            'ADMIN',
            '[ADMIN USER]',
            'SUPER_ADMIN',
            'admin',
            '',
            'OPERATOR,USER',
            ...PROTOTYPE_NAMES,
          ),
          fc.array(fc.oneof(text, fc.constantFrom('ADMIN', 'USER', 'OPERATOR')), { maxLength: 4 }),
          text,
        ),
        email: fc.oneof(text, fc.constant('a@b.pa')),
        [PROTOTYPE_NAMES[1]!]: fc.oneof(text, fc.constant('x')),
      },
      { requiredKeys: [] },
    ),
  );
}

/** Values of a path parameter: seeded ids (ours in every status, another tenant's), unknown, odd. */
function pathValue(context: RouteContext, name: string): fc.Arbitrary<string> {
  const known =
    name === 'code'
      ? fc.constantFrom('0000', '0001', 'ZZZZ')
      : name === 'id' && context.route.operation.operationId === 'deleteCertificate'
        ? fc.constantFrom('01KAQ0000000000000000CERT1', 'unknown')
        : name === 'id' && context.route.operation.path.startsWith('/v1/users/')
          ? fc.constantFrom(...SEEDED_USERS, 'unknown-user')
          : name === 'id' && context.route.operation.path.startsWith('/v1/tenants/')
            ? fc.constantFrom(TENANT, OTHER_TENANT, 'nobody')
            : fc.constantFrom(...Object.values(context.documents), '01KAQ0000000000000000NONE0');
  return fc.oneof(
    { weight: 4, arbitrary: known },
    { weight: 1, arbitrary: fc.stringMatching(/^[0-9A-Z]{26}$/) },
  );
}

function oddPathValue(): fc.Arbitrary<string> {
  return fc.oneof(
    // A URL carries bytes: a lone surrogate cannot reach API Gateway as a path parameter.
    text.filter((value) => value.length > 0 && !value.includes('/') && !/\p{Cs}/u.test(value)),
    fc.constantFrom(...PROTOTYPE_NAMES, '..', '%00', 'a'.repeat(2000), '#', 'DOC#x', '0000#POS#001'),
  );
}

/** Query strings a client of the route sends: its declared parameters, with values that make sense. */
function validQuery(context: RouteContext): fc.Arbitrary<Array<[string, string]>> {
  const values: Record<string, fc.Arbitrary<string>> = {
    status: fc.constantFrom('PROCESSING', 'AUTHORIZED', 'FAILED', 'REJECTED', 'CANCELLED'),
    type: fc.constantFrom('invoice', 'credit-note', 'export-invoice'),
    from: fc.constantFrom('2026-01-01', '2026-11-22T00:00:00-05:00'),
    to: fc.constantFrom('2026-12-31', '2027-01-01T00:00:00-05:00'),
    branch: fc.constant('0000'),
    pointOfSale: fc.constant('001'),
    receiverRuc: fc.constantFrom('2588017-1-831938', '8-888-888'),
    q: fc.constantFrom('distribuidora', 'Ñandú', 'pe'),
    cufe: fc.constant('FE0120000155596713-2-2015-5900002026112200000000420010121234567898'),
    number: fc.constantFrom('1', '42', '0000000001'),
    limit: fc.integer({ min: 1, max: 100 }).map(String),
    redirect: fc.constantFrom('true', 'false'),
    environment: fc.constantFrom('demo', 'prod'),
  };
  const declared = context.queryNames.filter((name) => values[name] && name !== 'cursor');
  if (declared.length === 0) return fc.constant([]);
  return fc
    .subarray(declared)
    .chain((names) =>
      fc.tuple(...names.map((name) => values[name]!.map((value): [string, string] => [name, value]))),
    );
}

/** Query strings of any shape: unknown names, odd values for declared ones, repeated names. */
function oddQuery(context: RouteContext): fc.Arbitrary<Array<[string, string]>> {
  const names = fc.oneof(
    fc.constantFrom(...context.queryNames, 'cursor', 'limit', 'unknown', ...PROTOTYPE_NAMES),
    text,
  );
  return fc.array(fc.tuple(names, fc.oneof(text, oddNumber.map(String), fc.constant(''))), { maxLength: 4 });
}

const JSON_CONTENT_TYPE = 'application/json';

/** Headers a client sends: JSON content type, an Idempotency-Key (fresh, or one of a few reused). */
function validHeaders(context: RouteContext): fc.Arbitrary<Array<[string, string]>> {
  const key = fc.oneof(
    { weight: 3, arbitrary: fc.constant(undefined).map(() => randomUUID()) },
    { weight: 1, arbitrary: fc.constantFrom('reused-key-1', 'reused-key-2') },
  );
  return fc
    .tuple(fc.constantFrom('Content-Type', 'content-type'), key)
    .map(([contentTypeName, idempotencyKey]) => [
      ...(context.takesBody ? ([[contentTypeName, JSON_CONTENT_TYPE]] as Array<[string, string]>) : []),
      ['Idempotency-Key', idempotencyKey],
    ]);
}

function oddHeaders(): fc.Arbitrary<Array<[string, string]>> {
  const contentType = fc.constantFrom(
    JSON_CONTENT_TYPE,
    'application/json; charset=utf-8',
    'text/plain',
    'application/x-www-form-urlencoded',
    'application/xml',
    'multipart/form-data; boundary=x',
    '',
    'application/json; charset=latin1',
  );
  const idempotencyKey = fc.oneof(
    fc.uuid(),
    text,
    fc.constantFrom('', ' ', 'k'.repeat(256), 'k'.repeat(5000), 'clé', 'a b', ...PROTOTYPE_NAMES),
  );
  return fc.array(
    fc.oneof(
      contentType.map((value): [string, string] => ['Content-Type', value]),
      idempotencyKey.map((value): [string, string] => ['Idempotency-Key', value]),
      idempotencyKey.map((value): [string, string] => ['idempotency-key', value]),
      fc.tuple(fc.constantFrom(...PROTOTYPE_NAMES, 'X-Forwarded-For', 'Accept'), text),
    ),
    { maxLength: 4 },
  );
}

/** A request with valid parts, then `override` on top. */
function request(
  context: RouteContext,
  parts: {
    claims?: fc.Arbitrary<Record<string, unknown> | null>;
    pathParameters?: fc.Arbitrary<Record<string, string>>;
    query?: fc.Arbitrary<Array<[string, string]>>;
    headers?: fc.Arbitrary<Array<[string, string]>>;
    body?: fc.Arbitrary<string | null>;
  },
): fc.Arbitrary<FuzzRequest> {
  const valid = validBody(context);
  return fc.record({
    claims: parts.claims ?? allowedClaims(context),
    pathParameters:
      parts.pathParameters ??
      fc.record(
        Object.fromEntries(context.pathParameterNames.map((name) => [name, pathValue(context, name)])),
      ),
    query: parts.query ?? validQuery(context),
    headers: parts.headers ?? validHeaders(context),
    body: parts.body ?? (valid ? valid.map(json) : fc.constant(null)),
  });
}

/** A family of requests that share a theme; each route draws its own from it. */
export type Family = {
  name: string;
  runs: number;
  /** The longest an answer may take (default: the function's timeout). */
  budgetMs?: number;
  /** Undefined when the family does not apply to the route. */
  requests(context: RouteContext): fc.Arbitrary<FuzzRequest> | undefined;
};

const bodyOf = (context: RouteContext): fc.Arbitrary<Record<string, unknown>> =>
  validBody(context) ?? fc.constant({});

export const FAMILIES: Family[] = [
  {
    name: 'well-formed requests (valid or lightly wrong fields)',
    runs: 100,
    requests: (context) =>
      request(context, {
        body: context.takesBody
          ? fc.oneof(
              { weight: 3, arbitrary: bodyOf(context).map(json) },
              { weight: 1, arbitrary: withLeaf(bodyOf(context), anyJson).map(json) },
            )
          : undefined,
      }),
  },
  {
    name: 'identities (no claims, other tenants, roles, odd claim values)',
    runs: 60,
    requests: (context) =>
      context.route.operation.permission ? request(context, { claims: anyClaims(context) }) : undefined,
  },
  {
    name: 'path and query parameters of any shape',
    runs: 70,
    requests: (context) =>
      request(context, {
        pathParameters: fc.record(
          Object.fromEntries(
            context.pathParameterNames.map((name) => [
              name,
              fc.oneof(pathValue(context, name), oddPathValue()),
            ]),
          ),
        ),
        query: fc.oneof(validQuery(context), oddQuery(context)),
      }),
  },
  {
    name: 'headers (content types, idempotency keys)',
    runs: 55,
    requests: (context) => request(context, { headers: oddHeaders() }),
  },
  {
    name: 'JSON bodies of any shape, odd leaves, prototype keys',
    runs: 100,
    requests: (context) =>
      request(context, {
        body: fc.oneof(
          anyJson.map(json),
          withLeaf(bodyOf(context), fc.oneof(oddString, oddNumber, longText, anyJson)).map(json),
          withKey(bodyOf(context), fc.oneof(fc.constantFrom(...PROTOTYPE_NAMES), text), anyJson),
          withLeaf(bodyOf(context), fc.constant('__NUMBER__')).chain((value) =>
            oddNumberText.map((number) => json(value).replace('"__NUMBER__"', number)),
          ),
        ),
      }),
  },
  {
    name: 'malformed bodies',
    runs: 40,
    requests: (context) =>
      request(context, {
        body: fc.oneof(
          fc.string({ maxLength: 50 }),
          fc.constantFrom(
            '',
            ' ',
            '{',
            '{"a":',
            '[1,]',
            'null',
            '"text"',
            '42',
            'true',
            '\ufeff{}',
            '{"a":1}{',
          ),
          bodyOf(context)
            .map(json)
            .chain((text) => fc.nat(text.length).map((cut) => text.slice(0, cut))),
        ),
      }),
  },
];

/**
 * Families that reproduce open rows of the issue: each stays `it.fails` on the routes where it still finds a
 * 5xx (or an answer too slow for the function's timeout), and flips to `it` when the row is fixed.
 */
export const ROW_FAMILIES: Array<Family & { row: number }> = [
  {
    row: 3,
    name: 'deeply nested JSON (row 3: canonicalJson recursion)',
    runs: 8,
    requests: (context) =>
      request(context, {
        body: fc
          .tuple(fc.integer({ min: 10_000, max: 20_000 }), fc.constantFrom('[', '{"a":'), bodyOf(context))
          .map(([depth, open, valid]) => {
            const close = open === '[' ? ']' : '}';
            const deep = `${open.repeat(depth)}1${close.repeat(depth)}`;
            return `{${json(valid).slice(1, -1)}${Object.keys(valid).length ? ',' : ''}"nested":${deep}}`;
          }),
      }),
  },
  {
    row: 4,
    name: 'catalogue values named like Object.prototype members (row 4)',
    runs: 20,
    requests: (context) =>
      request(context, {
        body: fc
          .oneof(
            withLeaf(bodyOf(context), fc.constantFrom(...PROTOTYPE_NAMES)),
            withCatalogueCode(bodyOf(context), fc.constantFrom(...PROTOTYPE_NAMES)),
          )
          .map(json),
      }),
  },
  {
    row: 1,
    name: 'e-mail-like text in e-mail fields (row 1: the address pattern backtracks; row 5: size)',
    runs: 6,
    // A linear-time check answers at once; the backtracking pattern takes ~0.3 s at 30 characters.
    budgetMs: 250,
    requests: (context) => {
      const emails = fc.oneof(
        fc.integer({ min: 30, max: 31 }).map((length) => `${'a'.repeat(length)}!`),
        fc.integer({ min: 30, max: 31 }).map((length) => `a@${'b'.repeat(length)}!`),
      );
      const huge = fc.integer({ min: 500_000, max: 1_000_000 }).map((n) => `${'a'.repeat(n)}@example.com`);
      switch (context.route.operation.operationId) {
        case 'issueDocument':
        case 'validateDocument':
          return request(context, {
            body: bodyOf(context).chain((document) =>
              emails.map((email) =>
                json({ ...document, receiver: { ...(document.receiver as object), emails: [email] } }),
              ),
            ),
          });
        case 'emailDocument':
        case 'createBranch':
          return request(context, {
            body: bodyOf(context).chain((body) =>
              fc.oneof({ weight: 1, arbitrary: emails }, { weight: 3, arbitrary: huge }).map((email) =>
                json({
                  ...body,
                  [context.route.operation.operationId === 'emailDocument' ? 'to' : 'emails']: [email],
                }),
              ),
            ),
          });
        default:
          return undefined;
      }
    },
  },
  {
    row: 6,
    name: 'corrupted P12 bytes (row 6)',
    runs: 40,
    requests: (context) => {
      if (context.route.operation.operationId !== 'uploadCertificate') return undefined;
      const { p12, pin } = validCertificate();
      const bytes = Buffer.from(p12, 'base64');
      return request(context, {
        body: fc
          .array(fc.tuple(fc.nat(bytes.length - 1), fc.integer({ min: 0, max: 255 })), {
            minLength: 1,
            maxLength: 4,
          })
          .map((flips) => {
            const corrupted = Buffer.from(bytes);
            for (const [at, value] of flips) corrupted[at] = value;
            return json({ p12: corrupted.toString('base64'), pin });
          }),
      });
    },
  },
  {
    row: 7,
    name: 'forged cursors and oversized dates (row 7)',
    runs: 30,
    requests: (context) => {
      if (context.route.operation.operationId !== 'listDocuments') return undefined;
      const cursor = (key: Record<string, unknown>) => Buffer.from(json(key)).toString('base64url');
      const forged = fc.oneof(
        fc.constant(cursor({ gsi1pk: `T#${TENANT}#DOCS` })),
        fc.constant(cursor({ gsi1pk: `T#${TENANT}#DOCS`, gsi1sk: '', pk: '', sk: '' })),
        fc.constant(
          cursor({ gsi1pk: `T#${TENANT}#DOCS`, gsi1sk: '9999', pk: `T#${TENANT}#DOC#x`, sk: 'DOC' }),
        ),
        fc
          .record({ gsi1sk: text, pk: text, sk: text })
          .map((key) => cursor({ gsi1pk: `T#${TENANT}#DOCS`, ...key })),
      );
      const date = fc.integer({ min: 1_000, max: 5_000 }).map((digits) => `2026-01-01T${'1'.repeat(digits)}`);
      return request(context, {
        query: fc.oneof(
          forged.map((value): Array<[string, string]> => [['cursor', value]]),
          date.map((value): Array<[string, string]> => [['from', value]]),
        ),
      });
    },
  },
];

/** The route's declared path parameter names and query names, for the generators. */
export function routeContext(route: ApiRoute, hkaTokens: RouteContext['hkaTokens']): RouteContext {
  const query = route.operation.query;
  return {
    route,
    pathParameterNames: [...route.operation.path.matchAll(/\{([^}]+)\}/g)].map((match) => match[1]!),
    queryNames: query instanceof z.ZodObject ? Object.keys(query.shape) : [],
    takesBody: route.operation.body !== undefined,
    documents: SEEDED_DOCUMENTS,
    hkaTokens,
  };
}
