import { randomUUID } from 'node:crypto';
import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiRoutes, isPublic, methodOf } from '#infra/routes';
import {
  atRealClock,
  dynamoClient,
  exampleDocument,
  hkaSandbox,
  issue,
  issueAndWait,
  type Json,
  localStack,
  pollUntil,
  type Session,
  sentMails,
  session,
  tableName,
  waitForFinal,
} from './helpers/local-cloud.ts';

/**
 * The administration API of issue 5 through the local cloud, as a client would call it: roles, branches and
 * points of sale, HKA credentials, issuing settings, document listing, e-mail, OpenAPI.
 */

const TENANT = 0;
const key = () => ({ 'idempotency-key': randomUUID() });

const BRANCH = {
  code: '0001',
  name: 'Sucursal El Dorado',
  address: 'Centro Comercial El Dorado, Local 5',
  location: { code: '8-8-7', province: 'PANAMA', district: 'PANAMA', corregimiento: 'BELLA VISTA' },
  phones: ['507-0101'],
};

describe('administration API', () => {
  let admin: Session;
  let user: Session;
  let operator: Session;

  beforeAll(async () => {
    [admin, user, operator] = await Promise.all([
      session(TENANT, 'ADMIN'),
      session(TENANT, 'USER'),
      session(TENANT, 'OPERATOR'),
    ]);
  });

  afterAll(async () => {
    // Other files share the tenant: back to the seeded issuing settings.
    await admin?.call('PUT', '/v1/settings/issuing', {
      body: { lowFolioThreshold: 50, cafeLayout: 'letter', defaultBranch: '0000', defaultPointOfSale: '001' },
    });
  });

  describe('roles', () => {
    it('OPERATOR cannot issue (403 ROLE_NOT_ALLOWED); USER and ADMIN can', async () => {
      const refused = await issue(operator, exampleDocument('invoice-final-consumer.json'));
      expect(refused.status, refused.text).toBe(403);
      expect(refused.body).toMatchObject({ success: false, code: 'ROLE_NOT_ALLOWED' });
      const byAdmin = await issue(admin, exampleDocument('invoice-final-consumer.json'));
      expect(byAdmin.status, byAdmin.text).toBe(202);
      await waitForFinal(admin, byAdmin.body.data.id);
    });

    it('USER cannot change settings, branches, credentials or certificates (403); reads are allowed', async () => {
      const attempts = [
        user.call('PUT', '/v1/settings/issuing', { body: { lowFolioThreshold: 10 } }),
        user.call('POST', '/v1/branches', { body: { ...BRANCH, code: '0999' }, headers: key() }),
        user.call('POST', '/v1/branches/0000/points-of-sale', { body: { code: '999' }, headers: key() }),
        user.call('PUT', '/v1/settings/hka-credentials', {
          body: { environment: 'prod', tokenEmpresa: 'x', tokenPassword: 'y' },
        }),
        user.call('POST', '/v1/folios/assignments', {
          body: { userId: 'someone', quantity: 5 },
          headers: key(),
        }),
        operator.call('PUT', '/v1/settings/issuing', { body: { lowFolioThreshold: 10 } }),
        operator.call('POST', '/v1/branches', { body: { ...BRANCH, code: '0999' }, headers: key() }),
      ];
      for (const response of await Promise.all(attempts)) {
        expect(response.status, response.text).toBe(403);
        expect(response.body.code).toBe('ROLE_NOT_ALLOWED');
      }
      // The refused calls changed nothing.
      const branches = await admin.call('GET', '/v1/branches');
      expect(branches.body.data.map((branch: Json) => branch.code)).not.toContain('0999');
      for (const reader of [user, operator]) {
        expect((await reader.call('GET', '/v1/branches')).status).toBe(200);
        expect((await reader.call('GET', '/v1/settings/issuing')).status).toBe(200);
      }
    });
  });

  describe('branches and points of sale', () => {
    const series: Json[] = [];

    it('ADMIN creates branch 0001 with point of sale 002; both are listed', async () => {
      const created = await admin.call('POST', '/v1/branches', { body: BRANCH, headers: key() });
      expect(created.status, created.text).toBe(201);
      expect(created.body.data).toMatchObject({ code: '0001', name: BRANCH.name, address: BRANCH.address });
      expect(created.headers.get('location')).toBe('/v1/branches/0001');
      expect(created.body.data.tenantId).toBeUndefined();

      const pos = await admin.call('POST', '/v1/branches/0001/points-of-sale', {
        body: { code: '002', name: 'Caja 2' },
        headers: key(),
      });
      expect(pos.status, pos.text).toBe(201);
      expect(pos.body.data).toMatchObject({ branchCode: '0001', code: '002', name: 'Caja 2' });

      const branches = await user.call('GET', '/v1/branches');
      expect(branches.status, branches.text).toBe(200);
      expect(branches.body.data.map((branch: Json) => branch.code).sort()).toEqual(['0000', '0001']);
      const points = await operator.call('GET', '/v1/branches/0001/points-of-sale');
      expect(points.status, points.text).toBe(200);
      expect(points.body.data.map((p: Json) => p.code)).toEqual(['002']);
      const head = await user.call('GET', '/v1/branches/0000/points-of-sale');
      expect(head.body.data.map((p: Json) => p.code)).toContain('001');
    });

    it('refuses invalid codes with 422 and the field paths', async () => {
      const badBranch = await admin.call('POST', '/v1/branches', {
        body: { ...BRANCH, code: '01', phones: ['12'], location: { ...BRANCH.location, code: 'x' } },
        headers: key(),
      });
      expect(badBranch.status, badBranch.text).toBe(422);
      expect(badBranch.body.details.map((detail: Json) => detail.path)).toEqual(
        expect.arrayContaining(['code', 'phones[0]', 'location.code']),
      );
      for (const code of ['000', '12', '1234', 'abc']) {
        const badPos = await admin.call('POST', '/v1/branches/0001/points-of-sale', {
          body: { code },
          headers: key(),
        });
        expect(badPos.status, `${code}: ${badPos.text}`).toBe(422);
        expect(badPos.body.details.map((detail: Json) => detail.path)).toContain('code');
      }
      const badPath = await admin.call('POST', '/v1/branches/01/points-of-sale', {
        body: { code: '003' },
        headers: key(),
      });
      expect(badPath.status, badPath.text).toBe(422);
      expect(badPath.body.details.map((detail: Json) => detail.path)).toContain('path.code');
      const unknownBranch = await admin.call('POST', '/v1/branches/0777/points-of-sale', {
        body: { code: '003' },
        headers: key(),
      });
      expect(unknownBranch.status, unknownBranch.text).toBe(404);
      expect(unknownBranch.body.code).toBe('BRANCH_NOT_FOUND');
    });

    it('refuses duplicates with 409 (a new Idempotency-Key, same code)', async () => {
      const again = await admin.call('POST', '/v1/branches', { body: BRANCH, headers: key() });
      expect(again.status, again.text).toBe(409);
      expect(again.body.code).toBe('BRANCH_EXISTS');
      const posAgain = await admin.call('POST', '/v1/branches/0001/points-of-sale', {
        body: { code: '002' },
        headers: key(),
      });
      expect(posAgain.status, posAgain.text).toBe(409);
      expect(posAgain.body.code).toBe('POINT_OF_SALE_EXISTS');
    });

    it('issues on the new series: branch 0001, point of sale 002, number 0000000001', async () => {
      const first = await issueAndWait(user, {
        ...(exampleDocument('invoice-taxpayer.json') as Json),
        branch: '0001',
        pointOfSale: '002',
      });
      expect(first).toMatchObject({
        status: 'AUTHORIZED',
        branch: '0001',
        pointOfSale: '002',
        number: '0000000001',
      });
      series.push(first);
      const atHka = (await hkaSandbox.tenant(TENANT)).documents.filter((d) => d.cufe === first.cufe);
      expect(atHka).toHaveLength(1);
      expect(atHka[0]).toMatchObject({ codigoSucursalEmisor: '0001', puntoFacturacionFiscal: '002' });
      // Not a point of sale of that branch → 422 on pointOfSale, nothing allocated.
      const wrong = await issue(user, {
        ...(exampleDocument('invoice-final-consumer.json') as Json),
        branch: '0001',
        pointOfSale: '001',
      });
      expect(wrong.status, wrong.text).toBe(422);
      expect(wrong.body.details.map((detail: Json) => detail.path)).toContain('pointOfSale');
    });

    describe('issuing settings', () => {
      it('GET shows the settings; PUT merges, validates references and is visible to readers', async () => {
        const before = await user.call('GET', '/v1/settings/issuing');
        expect(before.status, before.text).toBe(200);
        expect(before.body.data).toMatchObject({
          channel: 'hka-integration',
          environment: 'demo',
          defaultBranch: '0000',
          defaultPointOfSale: '001',
        });
        const missing = await admin.call('PUT', '/v1/settings/issuing', {
          body: { defaultBranch: '0777' },
        });
        expect(missing.status, missing.text).toBe(422);
        expect(missing.body.details.map((detail: Json) => detail.path)).toContain('defaultBranch');
        const invalid = await admin.call('PUT', '/v1/settings/issuing', {
          body: { channel: 'carrier-pigeon', lowFolioThreshold: -1 },
        });
        expect(invalid.status, invalid.text).toBe(422);
        expect(invalid.body.details.map((detail: Json) => detail.path)).toEqual(
          expect.arrayContaining(['channel', 'lowFolioThreshold']),
        );

        const put = await admin.call('PUT', '/v1/settings/issuing', {
          body: { lowFolioThreshold: 77, defaultBranch: '0001', defaultPointOfSale: '002' },
        });
        expect(put.status, put.text).toBe(200);
        expect(put.body.data).toMatchObject({
          channel: 'hka-integration',
          lowFolioThreshold: 77,
          defaultBranch: '0001',
          defaultPointOfSale: '002',
          cafeLayout: before.body.data.cafeLayout,
        });
        const after = await operator.call('GET', '/v1/settings/issuing');
        // Not `updatedAt`: the fuzz suite, running beside this file, may PUT an empty (valid, no-op) body.
        const { updatedAt: _updatedAt, ...settings } = put.body.data;
        expect(after.body.data).toMatchObject(settings);
      });

      it('a document without branch/point of sale is issued on the default series', async () => {
        const doc = await issueAndWait(user, exampleDocument('invoice-final-consumer.json'));
        expect(doc).toMatchObject({
          status: 'AUTHORIZED',
          branch: '0001',
          pointOfSale: '002',
          number: '0000000002',
        });
        series.push(doc);
        const back = await admin.call('PUT', '/v1/settings/issuing', {
          body: { lowFolioThreshold: 50, defaultBranch: '0000', defaultPointOfSale: '001' },
        });
        expect(back.status, back.text).toBe(200);
      });
    });

    describe('GET /v1/documents', () => {
      beforeAll(async () => {
        // Three more on 0001/002: a generic credit note, a final-consumer and a taxpayer invoice.
        const more = await Promise.all(
          ['generic-credit-note.json', 'invoice-final-consumer.json', 'invoice-taxpayer.json'].map((name) =>
            issueAndWait(user, { ...atRealClock(exampleDocument(name)), branch: '0001', pointOfSale: '002' }),
          ),
        );
        series.push(...more);
      }, 60_000);

      const ids = (response: Json) => (response.body.data.items as Json[]).map((item) => item.id);
      const list = (query: string) => operator.call('GET', `/v1/documents?${query}`);

      it('filters by branch and point of sale', async () => {
        expect(series.map((doc) => doc.status)).toEqual(Array(5).fill('AUTHORIZED'));
        const response = await list('branch=0001&pointOfSale=002&limit=100');
        expect(response.status, response.text).toBe(200);
        expect(ids(response).sort()).toEqual(series.map((doc) => doc.id).sort());
        expect(ids(await list('branch=0001&pointOfSale=003&limit=100'))).toEqual([]);
        const head = ids(await list('branch=0000&limit=100'));
        for (const doc of series) expect(head).not.toContain(doc.id);
      });

      it('filters by status, type, receiver RUC and date range', async () => {
        const ours = new Set(series.map((doc) => doc.id));
        const mine = (response: Json) => ids(response).filter((id: string) => ours.has(id));

        const authorized = await list('status=AUTHORIZED&branch=0001&limit=100');
        expect(authorized.status, authorized.text).toBe(200);
        expect(mine(authorized)).toHaveLength(5);
        expect(mine(await list('status=REJECTED&branch=0001&limit=100'))).toEqual([]);

        const notes = await list('type=generic-credit-note&branch=0001&limit=100');
        expect(notes.body.data.items.map((item: Json) => item.type)).toEqual(['generic-credit-note']);

        const ruc = (exampleDocument('invoice-taxpayer.json') as Json).receiver.ruc;
        const byRuc = await list(`receiverRuc=${encodeURIComponent(ruc)}&branch=0001&limit=100`);
        const taxpayers = series.filter((doc) => doc.receiver.ruc === ruc).map((doc) => doc.id);
        expect(taxpayers.length).toBeGreaterThanOrEqual(2);
        expect(taxpayers.length).toBeLessThan(series.length);
        expect(ids(byRuc).sort()).toEqual(taxpayers.sort());
        for (const item of byRuc.body.data.items) expect(item.receiver.ruc).toBe(ruc);

        const day = (series[0].issuedAt as string).slice(0, 10);
        const shift = (days: number) => {
          const date = new Date(`${day}T12:00:00Z`);
          date.setUTCDate(date.getUTCDate() + days);
          return date.toISOString().slice(0, 10);
        };
        expect(mine(await list(`from=${day}&to=${day}&branch=0001&limit=100`))).toHaveLength(5);
        expect(mine(await list(`from=${shift(1)}&branch=0001&limit=100`))).toEqual([]);
        expect(mine(await list(`to=${shift(-1)}&branch=0001&limit=100`))).toEqual([]);
        const bad = await list('from=yesterday');
        expect(bad.status, bad.text).toBe(422);
        expect(bad.body.details.map((detail: Json) => detail.path)).toContain('query.from');
      });

      it('pages with limit=2 and the cursor: newest first, no duplicates, nothing lost', async () => {
        const seen: string[] = [];
        let cursor: string | null = null;
        let pages = 0;
        do {
          const query: string = `branch=0001&pointOfSale=002&limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
          const page = await list(query);
          expect(page.status, page.text).toBe(200);
          expect(page.body.data.items.length).toBeLessThanOrEqual(2);
          seen.push(...ids(page));
          cursor = page.body.data.nextCursor;
          pages++;
        } while (cursor && pages < 10);
        expect(pages).toBeGreaterThanOrEqual(3);
        expect(new Set(seen).size).toBe(seen.length);
        expect([...seen].sort()).toEqual(series.map((doc) => doc.id).sort());
        // Newest first: issue dates never increase along the pages.
        const byId = new Map(series.map((doc) => [doc.id, doc.issuedAt as string]));
        const dates = seen.map((id) => byId.get(id)!);
        expect([...dates].sort().reverse()).toEqual(dates);
        // A cursor from another tenant's listing is refused (4xx), never followed.
        const first = await list('branch=0001&pointOfSale=002&limit=2');
        const outsider = await session(1, 'USER');
        const foreign = await outsider.call(
          'GET',
          `/v1/documents?limit=2&cursor=${encodeURIComponent(first.body.data.nextCursor)}`,
        );
        expect(foreign.status, foreign.text).toBe(400);
      });
    });

    it('POST /v1/documents/{id}/email sends the document to the given address (mail viewer)', async () => {
      const doc = series[0];
      const to = `contabilidad-${randomUUID().slice(0, 8)}@cliente.example.com`;
      const sent = await operator.call('POST', `/v1/documents/${doc.id}/email`, {
        body: { to: [to] },
        headers: key(),
      });
      expect(sent.status, sent.text).toBe(200);
      expect(sent.body.data).toEqual({ sent: true, to: [to] });
      const mails = await pollUntil(
        sentMails,
        (all) => all.some((mail) => mail.destination.to.includes(to)),
        20_000,
      );
      const mail = mails.find((candidate) => candidate.destination.to.includes(to));
      expect(mail, 'mail in the SES viewer').toBeDefined();
      expect(JSON.stringify(mail?.body)).toContain(doc.cufe);
      expect(mail?.subject).toContain(`${doc.pointOfSale}-${doc.number}`);
      const events = await operator.call('GET', `/v1/documents/${doc.id}/events`);
      expect(events.body.data.map((event: Json) => event.type)).toContain('EMAIL_SENT');
      const invalid = await operator.call('POST', `/v1/documents/${doc.id}/email`, {
        body: { to: ['not-an-address'] },
        headers: key(),
      });
      expect(invalid.status, invalid.text).toBe(422);
      expect(invalid.body.details.map((detail: Json) => detail.path)).toContain('to[0]');
    });
  });

  describe('HKA credentials', () => {
    // A sandbox company of its own, configured as the tenant's *prod* pair: the demo pair other files use stays.
    let sandboxTenant: { tokenEmpresa: string; tokenPassword: string; ruc: string };

    beforeAll(async () => {
      sandboxTenant = await hkaSandbox.addTenant({
        name: 'PRUEBA DE CREDENCIALES, S.A.',
        ruc: '155704849-2-2021',
        rucType: '2',
        tokenEmpresa: `cred${randomUUID().replaceAll('-', '').slice(0, 12)}_ws_tfhka`,
        tokenPassword: `Pw${randomUUID().replaceAll('-', '')}`,
      });
    });

    const storedItem = async (environment: string) =>
      (
        await dynamoClient().send(
          new GetItemCommand({
            TableName: tableName(),
            Key: { pk: { S: `T#${admin.user.tenantId}` }, sk: { S: `HKA_CREDENTIALS#${environment}` } },
            ConsistentRead: true,
          }),
        )
      ).Item;

    it('PUT stores the pair encrypted and never returns it', async () => {
      const { tokenEmpresa, tokenPassword } = sandboxTenant;
      const put = await admin.call('PUT', '/v1/settings/hka-credentials', {
        body: { environment: 'prod', tokenEmpresa, tokenPassword },
      });
      expect(put.status, put.text).toBe(200);
      expect(put.body.data).toEqual({ environment: 'prod', configured: true });
      expect(put.text).not.toContain(tokenEmpresa);
      expect(put.text).not.toContain(tokenPassword);

      const item = await storedItem('prod');
      expect(item?.ciphertext?.S).toEqual(expect.any(String));
      const raw = JSON.stringify(item);
      const decoded = Buffer.from(item!.ciphertext!.S!, 'base64').toString('latin1');
      for (const secret of [tokenEmpresa, tokenPassword]) {
        expect(raw).not.toContain(secret);
        expect(decoded).not.toContain(secret);
      }

      // No read of the API shows them.
      for (const path of [
        '/v1/settings/issuing',
        '/v1/branches',
        '/v1/folios',
        '/v1/certificates',
        '/v1/documents?limit=5',
      ]) {
        const read = await admin.call('GET', path);
        expect(read.status, `${path}: ${read.text}`).toBe(200);
        expect(read.text).not.toContain(tokenEmpresa);
        expect(read.text).not.toContain(tokenPassword);
      }
      const invalid = await admin.call('PUT', '/v1/settings/hka-credentials', {
        body: { environment: 'staging', tokenEmpresa: '', tokenPassword: tokenPassword },
      });
      expect(invalid.status, invalid.text).toBe(422);
      expect(invalid.body.details.map((detail: Json) => detail.path)).toEqual(
        expect.arrayContaining(['environment', 'tokenEmpresa']),
      );
      expect(invalid.text).not.toContain(tokenPassword);
    });

    it('POST …/test succeeds with the folio balance of that HKA company', async () => {
      const tested = await admin.call('POST', '/v1/settings/hka-credentials/test?environment=prod');
      expect(tested.status, tested.text).toBe(200);
      const atHka = (await hkaSandbox.state()).tenants.find((t) => t.ruc === sandboxTenant.ruc);
      expect(tested.body.data).toMatchObject({
        ok: true,
        environment: 'prod',
        folios: {
          available: atHka?.folios.cycleAvailable,
          used: atHka?.folios.cycleUsed,
          total: atHka?.folios.cycleTotal,
        },
      });
      expect(tested.text).not.toContain(sandboxTenant.tokenPassword);
      // The demo pair (the tenant's environment by default) works too.
      const demo = await admin.call('POST', '/v1/settings/hka-credentials/test');
      expect(demo.status, demo.text).toBe(200);
      expect(demo.body.data).toMatchObject({ ok: true, environment: 'demo' });
    });

    it('with a wrong pair: a clear negative answer naming the refusal, never a 500', async () => {
      const put = await admin.call('PUT', '/v1/settings/hka-credentials', {
        body: {
          environment: 'prod',
          tokenEmpresa: sandboxTenant.tokenEmpresa,
          tokenPassword: 'wrong-password',
        },
      });
      expect(put.status, put.text).toBe(200);
      const tested = await admin.call('POST', '/v1/settings/hka-credentials/test?environment=prod');
      // The product's contract (testHkaCredentials): 200 with ok=false and HKA's reason, not an error status.
      expect(tested.status, tested.text).toBe(200);
      expect(tested.body.data).toMatchObject({ ok: false, environment: 'prod' });
      expect(tested.body.data.reason).toMatch(/HKA refused the credentials/);
      expect(tested.body.data.folios).toBeUndefined();
      expect(tested.text).not.toContain('wrong-password');
      const refused = await user.call('POST', '/v1/settings/hka-credentials/test');
      expect(refused.status, refused.text).toBe(403);
    });
  });

  it('GET /docs/openapi.json lists every registered route with its method', async () => {
    const response = await fetch(`${localStack().apiUrl}/docs/openapi.json`);
    expect(response.status).toBe(200);
    const document = (await response.json()) as { openapi: string; paths: Record<string, Json> };
    expect(document.openapi).toMatch(/^3\.1/);
    const missing = apiRoutes
      .filter((route) => !isPublic(route))
      .filter((route) => !document.paths[route.operation.path]?.[route.operation.method])
      .map((route) => `${methodOf(route)} ${route.operation.path}`);
    expect(missing).toEqual([]);
    // …and nothing that is not deployed.
    const deployed = new Set(apiRoutes.map((route) => `${methodOf(route)} ${route.operation.path}`));
    // The credentials test documents the balance it answers with.
    const testResponse =
      document.paths['/v1/settings/hka-credentials/test']?.post?.responses?.['200']?.content?.[
        'application/json'
      ]?.schema;
    expect(JSON.stringify(testResponse)).toContain('"folios"');
    const documented = Object.entries(document.paths).flatMap(([path, methods]) =>
      Object.keys(methods as object).map((method) => `${method.toUpperCase()} ${path}`),
    );
    expect(documented.filter((route) => !deployed.has(route))).toEqual([]);
  });
});
