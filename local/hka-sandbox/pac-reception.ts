/**
 * The DGI-standard PAC reception for emitter-signed documents (brief §3.11, §11.2): the caller signs the
 * rFE itself and sends `feDatosMsg/rEnviFe{dVerForm, dId, iAmb, xFe}` (feRecepFE_v1.00.xsd); the answer
 * is `rProtFe` (ProtProcesFE_v1.00.xsd). Served at `POST /pac/recepcion` as SOAP 1.2 (ns
 * `http://dgi-fep.mef.gob.pa/wsdl/FeRecepFE`); a bare `feDatosMsg` or `rEnviFe` body is accepted too.
 *
 * Checks, in order: rEnviFe against its XSD, iAmb = 2 (this is a test environment), the rFE against
 * FE_v1.00.xsd, the XMLDSig signature (certificate embedded in KeyInfo), the CUFE (check digit and
 * agreement with the document's fields), the issuer (must be a sandbox tenant: the real service
 * authenticates the transmitter by TLS client certificate instead of tokens), duplicates, folios.
 *
 * Result codes: 0260 "Autorizado el uso de la FE" and 1002 "Documento duplicado" are DGI codes seen in
 * real responses; 1507 (contingency start after the emission) is the DGI's (./contingency.ts); the rejection codes below (0100, 0120, 0130, 0140, 0150, 0160) are the sandbox's
 * choice — the DGI's full list is not available offline (brief §3.11).
 */

import { XMLParser } from 'fast-xml-parser';
import { create } from 'xmlbuilder2';
import { checkCufe, parseCufe } from '#shared/fiscal/cufe';
import { xmlText } from '#shared/fiscal/xml-text';
import { validateAgainst, validateRfeXml } from '#shared/fiscal/xsd';
import { verifyRfeSignature } from '#shared/signing/xmldsig';
import { cufeDateOf, panamaLocal } from './authorization.ts';
import { contingencyProblem } from './contingency.ts';
import type { PacSigner } from './pac-signer.ts';
import type { Random } from './random.ts';
import { documentKey, type SandboxState, type StoredDocument } from './state.ts';

export const PAC_NAMESPACE = 'http://dgi-fep.mef.gob.pa/wsdl/FeRecepFE';
const SOAP12 = 'http://www.w3.org/2003/05/soap-envelope';

export const PAC_CODES = {
  authorized: '0260',
  duplicate: '1002',
  schema: '0100',
  environment: '0120',
  signature: '0130',
  cufe: '0140',
  issuer: '0150',
  folios: '0160',
} as const;

type Result = { code: string; message: string };
type Protocol = {
  dId?: string;
  cufe?: string;
  protocol?: string;
  digestValue?: string;
  results: Result[];
};

const parser = new XMLParser({
  removeNSPrefix: true,
  parseTagValue: false,
  ignoreAttributes: true,
  trimValues: true,
});
type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : {});
const str = (v: unknown): string => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '');

/** `feDatosMsg` (or `rEnviFe`) wherever it sits: SOAP 1.2 body, SOAP 1.1 body or the document root. */
function findEnviFe(parsed: Obj): Obj | undefined {
  const body = obj(obj(parsed.Envelope).Body);
  for (const holder of [body, parsed]) {
    if (holder.feDatosMsg) return obj(obj(holder.feDatosMsg).rEnviFe);
    if (holder.rEnviFe) return obj(holder.rEnviFe);
  }
  return undefined;
}

export function createPacReception(deps: {
  state: SandboxState;
  random: Random;
  now(): Date;
  signer: PacSigner;
}) {
  const answer = (protocol: Protocol) => ({
    status: 200,
    contentType: 'application/soap+xml; charset=utf-8',
    body: renderProtocol(protocol, deps.now()),
  });

  return async (xml: string) => {
    let enviFe: Obj | undefined;
    try {
      enviFe = findEnviFe(parser.parse(xml, true) as Obj);
    } catch (error) {
      return answer({
        results: [{ code: PAC_CODES.schema, message: `XML mal formado: ${(error as Error).message}` }],
      });
    }
    if (!enviFe)
      return answer({ results: [{ code: PAC_CODES.schema, message: 'No se encontró feDatosMsg/rEnviFe.' }] });
    const dId = str(enviFe.dId);
    const fail = (code: string, message: string) => answer({ dId, results: [{ code, message }] });

    // The envelope fields against feRecepFE_v1.00.xsd (rebuilt canonically: the XSD does not cover SOAP).
    const canonical = create({ version: '1.0' })
      .ele(PAC_NAMESPACE, 'feDatosMsg')
      .ele('rEnviFe')
      .ele('dVerForm')
      .txt(xmlText(str(enviFe.dVerForm)))
      .up()
      .ele('dId')
      .txt(xmlText(dId))
      .up()
      .ele('iAmb')
      .txt(xmlText(str(enviFe.iAmb)))
      .up()
      .ele('xFe')
      .txt(xmlText(str(enviFe.xFe)))
      .up()
      .doc()
      .end();
    const envelopeCheck = validateAgainst('feRecepFE_v1.00.xsd', canonical);
    if (!envelopeCheck.valid)
      return fail(PAC_CODES.schema, `rEnviFe no cumple el esquema: ${envelopeCheck.errors.join('; ')}`);
    if (str(enviFe.iAmb) !== '2')
      return fail(PAC_CODES.environment, 'Ambiente incorrecto: este servicio es de pruebas (iAmb = 2).');

    const rfe = str(enviFe.xFe);
    const schema = validateRfeXml(rfe);
    if (!schema.valid) return fail(PAC_CODES.schema, schema.errors.join('; '));
    const signature = verifyRfeSignature(rfe);
    if (!signature.valid)
      return fail(PAC_CODES.signature, `Firma digital inválida: ${signature.reason ?? ''}`.trim());

    const doc = obj(parser.parse(rfe).rFE);
    const gen = obj(doc.gDGen);
    const rucEmi = obj(obj(gen.gEmis).gRucEmi);
    const cufe = str(doc.dId);
    const cufeCheck = checkCufe(cufe);
    if (!cufeCheck.valid) return fail(PAC_CODES.cufe, `CUFE inválido: ${cufeCheck.reason}.`);
    const mismatch = cufeMismatch(cufe, gen, rucEmi);
    if (mismatch) return fail(PAC_CODES.cufe, `El CUFE no corresponde al documento: ${mismatch}.`);
    const contingency = contingencyProblem({
      iTpEmis: str(gen.iTpEmis),
      dFechaEm: str(gen.dFechaEm),
      dFechaCont: str(gen.dFechaCont),
      dMotCont: str(gen.dMotCont),
    });
    if (contingency) return fail(contingency.code, contingency.message);

    const tenant = deps.state.data.tenants.find(
      (t) => t.ruc === str(rucEmi.dRuc) && t.dv === str(rucEmi.dDV),
    );
    if (!tenant) return fail(PAC_CODES.issuer, 'Emisor no habilitado para emitir con este PAC.');

    const datos = {
      codigoSucursalEmisor: str(obj(gen.gEmis).dSucEm),
      numeroDocumentoFiscal: str(gen.dNroDF),
      puntoFacturacionFiscal: str(gen.dPtoFacDF),
      tipoDocumento: str(gen.iDoc),
      tipoEmision: str(gen.iTpEmis),
    };
    const key = documentKey(datos);
    const digestValue = /<(?:\w+:)?DigestValue>([^<]+)</.exec(rfe)?.[1] ?? '';
    const existing = deps.state.document(tenant.id, key);
    if (existing) {
      existing.receipts = (existing.receipts ?? 1) + 1;
      deps.state.changed();
      return answer({
        dId,
        cufe: existing.cufe,
        protocol: existing.protocol,
        digestValue: existing.digestValue,
        results: [{ code: PAC_CODES.duplicate, message: 'Documento duplicado' }],
      });
    }
    if (tenant.folios.cycleUsed >= tenant.folios.cycleTotal)
      return fail(PAC_CODES.folios, 'No posee folios disponibles en el ciclo actual.');

    const now = deps.now();
    // dProAut is an xs:decimal: the numeric 20-digit form (year + 16-digit sequence) of brief §8.7.
    const protocol = `${panamaLocal(now).slice(0, 4)}${String(deps.state.nextProtocolSequence()).padStart(16, '0')}`;
    const stored: StoredDocument = {
      tenantId: tenant.id,
      key,
      datos,
      payloadHash: digestValue,
      cufe,
      qr: str(obj(doc.gNoFirm).dQRCode),
      protocol,
      securityCode: str(gen.dSeg),
      digestValue,
      rfeXml: rfe,
      fechaEmision: str(gen.dFechaEm),
      receivedAt: now.toISOString(),
      status: 'Autorizada',
      statusMessage: 'Autorizado el uso de la FE',
      emails: [],
      channel: 'pac-reception',
      receipts: 1,
    };
    deps.state.addDocument(stored);
    tenant.folios.cycleUsed += 1;
    deps.state.changed();
    return answer({
      dId,
      cufe,
      protocol,
      digestValue,
      results: [{ code: PAC_CODES.authorized, message: 'Autorizado el uso de la FE' }],
    });
  };
}

/** Which CUFE field disagrees with the document (brief §4.1 layout), or undefined. */
function cufeMismatch(cufe: string, gen: Obj, rucEmi: Obj): string | undefined {
  const c = parseCufe(cufe);
  const expected: [string, string, string][] = [
    ['iDoc', c.documentType, str(gen.iDoc)],
    ['dTipoRuc', c.rucType, str(rucEmi.dTipoRuc)],
    ['dRuc', c.ruc, str(rucEmi.dRuc)],
    ['dDV', c.dv, str(rucEmi.dDV)],
    ['dSucEm', c.branch, str(obj(gen.gEmis).dSucEm)],
    ['dFechaEm', c.date, str(gen.dFechaEm) ? cufeDateOf(str(gen.dFechaEm)) : ''],
    ['dNroDF', c.number, str(gen.dNroDF)],
    ['dPtoFacDF', c.pointOfSale, str(gen.dPtoFacDF)],
    ['iTpEmis', c.emissionType, str(gen.iTpEmis)],
    ['iAmb', c.environment, str(gen.iAmb)],
    ['dSeg', c.securityCode, str(gen.dSeg)],
  ];
  const wrong = expected.filter(([, inCufe, inDoc]) => inCufe !== inDoc).map(([name]) => name);
  return wrong.length > 0 ? wrong.join(', ') : undefined;
}

function renderProtocol(p: Protocol, now: Date): string {
  const prot = create({ version: '1.0', encoding: 'UTF-8' })
    .ele(SOAP12, 'soap:Envelope')
    .ele(SOAP12, 'soap:Body')
    .ele(PAC_NAMESPACE, 'feRecepFEResult')
    .ele('', 'rProtFe');
  prot.ele('', 'dVerForm').txt('1.00');
  const inf = prot.ele('', 'gInfProt');
  if (p.dId) inf.ele('', 'dId').txt(xmlText(p.dId));
  inf.ele('', 'iAmb').txt('2');
  inf.ele('', 'dVerApl').txt('1.00');
  if (p.cufe) inf.ele('', 'dCUFE').txt(xmlText(p.cufe));
  inf.ele('', 'dFecProc').txt(xmlText(`${panamaLocal(now)}-05:00`));
  if (p.protocol) inf.ele('', 'dProAut').txt(xmlText(p.protocol));
  if (p.digestValue) inf.ele('', 'dDigVal').txt(xmlText(p.digestValue));
  for (const r of p.results) {
    const res = inf.ele('', 'gResProc');
    res.ele('', 'dCodRes').txt(xmlText(r.code));
    res.ele('', 'dMsgRes').txt(xmlText(r.message));
  }
  return prot.doc().end({ prettyPrint: false });
}
