/**
 * `startHkaSandbox`: a local stand-in for The Factory HKA's SOAP service (all nine operations, HKA-style
 * validation and answers, fault injection) for tests and the local cloud.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { DEFAULT_WSDL_PATH } from '#shared/hka/client';
import { createArtifacts } from './artifacts.ts';
import { createSesMailer } from './mailer.ts';
import type { OperationContext } from './ops/context.ts';
import { createPacReception } from './pac-reception.ts';
import { createPacSigner, createUnsignedPacSigner } from './pac-signer.ts';
import { createRandom } from './random.ts';
import { createSandboxServer } from './server.ts';
import { SandboxState } from './state.ts';
import { createTenant, DEFAULT_TENANTS, type TenantSeed } from './tenants.ts';

export type HkaSandboxOptions = {
  port?: number;
  host?: string;
  /** Seeds tokens, security codes and fault draws (default 1). */
  seed?: number;
  /** SES v2 endpoint for EnvioCorreo (e.g. the local cloud's SES emulator). */
  sesEndpoint?: string;
  fromAddress?: string;
  /** Persist state as JSON in this directory (documents survive restarts). */
  dataDir?: string;
  tenants?: TenantSeed[];
  /** Sign the rFE at Enviar like HKA (default). `false` is for load tests: see createUnsignedPacSigner. */
  signRfe?: boolean;
  /** Clock (tests); the admin clock offset is added to it. */
  now?: () => Date;
  log?: (message: string, extra?: Record<string, unknown>) => void;
};

export type HkaSandboxToken = { tokenEmpresa: string; tokenPassword: string; ruc: string; dv: string };

export type HkaSandbox = {
  /** SOAP endpoint (`…/ws/obj/v1.0/Service.svc`); WSDL at `${url}?wsdl`. */
  url: string;
  /** Admin base URL (`/__admin/...`) and the PAC reception URL. */
  adminUrl: string;
  pacReceptionUrl: string;
  tokens: HkaSandboxToken[];
  state: SandboxState;
  close(): Promise<void>;
};

export async function startHkaSandbox(options: HkaSandboxOptions = {}): Promise<HkaSandbox> {
  const host = options.host ?? '127.0.0.1';
  const random = createRandom(options.seed ?? 1);
  let clockOffsetMs = 0;
  const baseNow = options.now ?? (() => new Date());
  const now = () => new Date(baseNow().getTime() + clockOffsetMs);
  const log = options.log ?? (() => {});

  const state = SandboxState.load(options.dataDir, () => ({
    tenants: (options.tenants ?? DEFAULT_TENANTS).map((seed, i) => createTenant(seed, random, now(), i)),
    documents: [],
    protocolSequence: 0,
  }));

  const sesEndpoint =
    options.sesEndpoint ?? process.env.AWS_ENDPOINT_URL_SESV2 ?? process.env.AWS_ENDPOINT_URL_SES;
  const mailer = createSesMailer(sesEndpoint ? { endpoint: sesEndpoint } : {});
  const fromAddress = options.fromAddress ?? 'facturas@sandbox.factu.local';
  const artifacts = createArtifacts();

  // Per-run HMAC key for the QR JWT (HKA's real key is theirs; the QR is opaque to us anyway).
  const qrSecret = randomBytes(32).toString('hex');
  const signer = options.signRfe === false ? createUnsignedPacSigner(qrSecret) : createPacSigner(qrSecret);
  // Key generation takes a few hundred ms: pay it at start, not inside the first Enviar's deadline.
  signer.certificatePem();
  const ops: OperationContext = {
    state,
    random,
    now,
    qrSecret,
    signer,
    artifacts,
    async sendEmail({ to, doc, tenant }) {
      const [pdf, xml] = await Promise.all([artifacts.cafePdf(doc, tenant), artifacts.rfeXml(doc, tenant)]);
      const number = `${doc.datos.puntoFacturacionFiscal.padStart(3, '0')}-${doc.datos.numeroDocumentoFiscal.padStart(10, '0')}`;
      return mailer({
        from: fromAddress,
        to,
        subject: `${tenant.name} - Documento electrónico ${number}`,
        text: `Estimado cliente,\n\nAdjuntamos el documento electrónico ${number} emitido por ${tenant.name} (RUC ${tenant.ruc} DV ${tenant.dv}).\nCUFE: ${doc.cufe}\nConsulta: ${doc.qr}\n`,
        attachments: [
          { filename: `${doc.cufe}.pdf`, contentType: 'application/pdf', content: pdf },
          { filename: `${doc.cufe}.xml`, contentType: 'application/xml', content: Buffer.from(xml, 'utf8') },
        ],
      });
    },
  };

  const wsdlTemplate = readFileSync(DEFAULT_WSDL_PATH, 'utf8');
  const { server, closeHeld } = createSandboxServer({
    ops,
    admin: { state, random, now, advanceClock: (ms) => (clockOffsetMs += ms) },
    wsdl: (location) => wsdlTemplate.replace(/(<soap:address location=")[^"]*(")/, `$1${location}$2`),
    pacReception: createPacReception({ state, random, now, signer }),
    log,
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const base = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;

  return {
    url: `${base}/ws/obj/v1.0/Service.svc`,
    adminUrl: `${base}/__admin`,
    pacReceptionUrl: `${base}/pac/recepcion`,
    tokens: state.data.tenants.map((t) => ({
      tokenEmpresa: t.tokenEmpresa,
      tokenPassword: t.tokenPassword,
      ruc: t.ruc,
      dv: t.dv,
    })),
    state,
    async close() {
      closeHeld();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      state.flush();
    },
  };
}
