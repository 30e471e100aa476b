/**
 * The sandbox's memory: tenants (token pair, RUC, folio counters), authorized documents and e-mails.
 * Optionally persisted as one JSON file in `dataDir` so the local cloud keeps documents across restarts
 * (writes are coalesced; `flush()` on close).
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FaultSpec } from './faults.ts';
import type { RucEntry } from './ruc-registry.ts';
import type { XmlObject } from './soap-io.ts';

export type FolioCounters = {
  licencia: string;
  licenceFrom: string;
  licenceTo: string;
  ciclo: string;
  cycleFrom: string;
  cycleTo: string;
  cycleTotal: number;
  cycleUsed: number;
  licenceTotal: number;
};

export type SandboxTenant = {
  id: string;
  name: string;
  ruc: string;
  dv: string;
  rucType: '1' | '2';
  tokenEmpresa: string;
  tokenPassword: string;
  folios: FolioCounters;
  faults: FaultSpec[];
};

export type EmailRecord = {
  correo: string;
  creadoEn: string;
  estado: string;
  messageId: string;
  detail?: string;
};

export type StoredDocument = {
  tenantId: string;
  /** sucursal|punto|número (10 digits)|tipoDocumento|tipoEmision: HKA's document identity. */
  key: string;
  datos: {
    codigoSucursalEmisor: string;
    numeroDocumentoFiscal: string;
    puntoFacturacionFiscal: string;
    tipoDocumento: string;
    tipoEmision: string;
  };
  /** The `documento` as received (parsed), for the CAFE. Absent for PAC-reception documents. */
  documento?: XmlObject;
  /** The authorized rFE, signed, with gNoFirm (what DescargaXML returns). */
  rfeXml: string;
  payloadHash: string;
  cufe: string;
  qr: string;
  protocol: string;
  securityCode: string;
  digestValue: string;
  fechaEmision: string;
  /** Reception instant (ISO) and the text HKA-style responses show. */
  receivedAt: string;
  status: 'Autorizada' | 'Anulada';
  statusMessage: string;
  cancelledAt?: string;
  cancellationReason?: string;
  emails: EmailRecord[];
  channel: 'enviar' | 'pac-reception';
  /** How many submissions of this document arrived (the first plus every duplicate answered 102/1002). */
  receipts?: number;
};

export type SandboxStateData = {
  tenants: SandboxTenant[];
  /** RUCs a test registered in the stand-in DGI registry (`POST /__admin/rucs`); absent in older state files. */
  registeredRucs?: RucEntry[];
  documents: StoredDocument[];
  protocolSequence: number;
};

export class SandboxState {
  private writeTimer: NodeJS.Timeout | undefined;
  private readonly byKey = new Map<string, StoredDocument>();
  /** SOAP requests received per tenant and operation, faulted ones included (not persisted). */
  private readonly calls = new Map<string, Record<string, number>>();

  constructor(
    readonly data: SandboxStateData,
    private readonly dataDir?: string,
  ) {
    for (const doc of data.documents) this.byKey.set(`${doc.tenantId}#${doc.key}`, doc);
  }

  static load(dataDir: string | undefined, fresh: () => SandboxStateData): SandboxState {
    if (dataDir) {
      try {
        const saved = JSON.parse(
          readFileSync(join(dataDir, 'hka-sandbox-state.json'), 'utf8'),
        ) as SandboxStateData;
        return new SandboxState(saved, dataDir);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      }
    }
    return new SandboxState(fresh(), dataDir);
  }

  /** Counts a request of `operation` from the tenant (before any fault applies: what HKA would have seen). */
  countCall(tenantId: string, operation: string): void {
    const counts = this.calls.get(tenantId) ?? {};
    counts[operation] = (counts[operation] ?? 0) + 1;
    this.calls.set(tenantId, counts);
  }

  callsOf(tenantId: string): Record<string, number> {
    return { ...(this.calls.get(tenantId) ?? {}) };
  }

  tenantByTokens(tokenEmpresa: string, tokenPassword: string): SandboxTenant | undefined {
    return this.data.tenants.find(
      (t) => t.tokenEmpresa === tokenEmpresa && t.tokenPassword === tokenPassword,
    );
  }

  tenantByTokenEmpresa(tokenEmpresa: string): SandboxTenant | undefined {
    return this.data.tenants.find((t) => t.tokenEmpresa === tokenEmpresa);
  }

  findTenant(selector: { ruc?: string; tokenEmpresa?: string; id?: string }): SandboxTenant | undefined {
    return this.data.tenants.find(
      (t) =>
        (selector.id !== undefined && t.id === selector.id) ||
        (selector.ruc !== undefined && t.ruc === selector.ruc) ||
        (selector.tokenEmpresa !== undefined && t.tokenEmpresa === selector.tokenEmpresa),
    );
  }

  addTenant(tenant: SandboxTenant): void {
    this.data.tenants.push(tenant);
    this.changed();
  }

  document(tenantId: string, key: string): StoredDocument | undefined {
    return this.byKey.get(`${tenantId}#${key}`);
  }

  documentByCufe(tenantId: string, cufe: string): StoredDocument | undefined {
    return this.data.documents.find((d) => d.tenantId === tenantId && d.cufe === cufe);
  }

  documentsOf(tenantId: string): StoredDocument[] {
    return this.data.documents.filter((d) => d.tenantId === tenantId);
  }

  addDocument(doc: StoredDocument): void {
    this.data.documents.push(doc);
    this.byKey.set(`${doc.tenantId}#${doc.key}`, doc);
    this.changed();
  }

  nextProtocolSequence(): number {
    this.data.protocolSequence += 1;
    return this.data.protocolSequence;
  }

  /** Call after mutating a tenant or document in place. */
  changed(): void {
    if (!this.dataDir || this.writeTimer) return;
    this.writeTimer = setTimeout(() => this.flush(), 50);
    this.writeTimer.unref();
  }

  flush(): void {
    if (this.writeTimer) clearTimeout(this.writeTimer);
    this.writeTimer = undefined;
    if (!this.dataDir) return;
    mkdirSync(this.dataDir, { recursive: true });
    const file = join(this.dataDir, 'hka-sandbox-state.json');
    // Write-then-rename: a crash mid-write never leaves a truncated state file.
    writeFileSync(`${file}.tmp`, JSON.stringify(this.data));
    renameSync(`${file}.tmp`, file);
  }
}

/** A document key as HKA compares them: the number padded to 10 digits, the point to 3. */
export function documentKey(datos: StoredDocument['datos']): string {
  return [
    datos.codigoSucursalEmisor,
    datos.puntoFacturacionFiscal.padStart(3, '0'),
    datos.numeroDocumentoFiscal.padStart(10, '0'),
    datos.tipoDocumento,
    datos.tipoEmision,
  ].join('|');
}
