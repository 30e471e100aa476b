/**
 * Receiver verification against the DGI registry through HKA's ConsultarRucDV, a step of the pre-flight that
 * runs before a number is allocated: a well-formed RUC the DGI does not know is refused here (HKA would refuse
 * it after we spent the number and a folio), while an HKA we cannot reach never blocks a sale — the document
 * goes on with a warning. Registrations are kept per tenant for 30 days (`#shared/data/ruc-verifications`),
 * but only once the caller accepted the document (`remember`): a refused request leaves nothing behind.
 */

import type { Finding } from '#shared/data/documents';
import {
  type RucVerification,
  type RucVerificationKey,
  rucVerificationsRepository,
} from '#shared/data/ruc-verifications';
import type { HkaClient } from '#shared/hka/client';
import { logger } from '#shared/observability/logger';
import { MetricUnit, metrics } from '#shared/observability/metrics';
import { loadHkaCredentials } from '#shared/tenancy/credentials';
import { hkaClientFor } from '#shared/tenancy/hka';

export type ReceiverVerification = {
  errors: Finding[];
  warnings: Finding[];
  /** What the DGI has registered for the RUC, when HKA told (now or within the cache's 30 days). */
  registered?: { dv: string; name: string };
  /** Keeps HKA's fresh answer for the next documents; call once the document is accepted. Never throws. */
  remember(): Promise<void>;
};

export type VerifiableReceiver = {
  type: string;
  rucType?: '1' | '2';
  ruc?: string;
  dv?: string;
  name?: string;
};

export type VerifyReceiverOptions = {
  now?: Date;
  /** How long a sale waits for HKA before going on unverified. */
  deadlineMs?: number;
  /** Tests inject the client; production uses the environment's shared one. */
  hka?: Pick<HkaClient, 'rucRegistration'>;
};

/** A counter sale must not wait on HKA's 25 s call timeout. */
export const VERIFICATION_DEADLINE_MS = 5_000;

/** Only receivers identified by a RUC are in the DGI registry: taxpayers (01) and public entities (03). */
const VERIFIED_TYPES = new Set(['taxpayer', 'government']);

const nothingToKeep = async () => {};
const none: ReceiverVerification = { errors: [], warnings: [], remember: nothingToKeep };

export async function verifyReceiver(
  tenantId: string,
  environment: 'demo' | 'prod',
  receiver: VerifiableReceiver,
  options: VerifyReceiverOptions = {},
): Promise<ReceiverVerification> {
  const { rucType, ruc } = receiver;
  if (!VERIFIED_TYPES.has(receiver.type) || !rucType || !ruc) return none;
  const now = options.now ?? new Date();
  const key: RucVerificationKey = { tenantId, environment, rucType, ruc };

  const cached = await rucVerificationsRepository.get(key, now);
  if (cached) {
    return {
      ...findingsOf(receiver, cached),
      registered: { dv: cached.dv, name: cached.name },
      remember: nothingToKeep,
    };
  }

  let answer: Awaited<ReturnType<HkaClient['rucRegistration']>>;
  try {
    const credentials = await loadHkaCredentials(tenantId, environment);
    const hka = options.hka ?? hkaClientFor(environment);
    answer = await withDeadline(
      hka.rucRegistration(credentials, { tipoRuc: rucType, ruc }),
      options.deadlineMs ?? VERIFICATION_DEADLINE_MS,
    );
  } catch (error) {
    // Outage, missing or wrong credentials, an unexpected refusal: nothing is known about the RUC.
    logger.warn('Receiver RUC not verified with HKA', {
      tenantId,
      environment,
      error: { name: (error as Error).name, message: (error as Error).message },
    });
    metrics.addMetric('ReceiverRucUnverified', MetricUnit.Count, 1);
    return { errors: [], warnings: [unverified()], remember: nothingToKeep };
  }
  if (!answer.registered) return { ...notRegistered(answer.reason), remember: nothingToKeep };
  const registration = { dv: answer.dv, name: answer.name, affiliated: answer.affiliated };
  const remember = async () => {
    try {
      await rucVerificationsRepository.put(key, registration, now);
    } catch (error) {
      // Only a cache: the next document asks HKA again.
      logger.warn('Receiver RUC answer not kept', { tenantId, error: error as Error });
    }
  };
  return {
    ...findingsOf(receiver, registration),
    registered: { dv: registration.dv, name: registration.name },
    remember,
  };
}

function notRegistered(reason: 'not-registered' | 'malformed'): Omit<ReceiverVerification, 'remember'> {
  return {
    errors: [
      reason === 'malformed'
        ? {
            path: 'receiver.ruc',
            message: 'RUC con formación inválida según la DGI (1601)',
            code: 'RUC_MALFORMED',
            severity: 'error',
            hint: 'Revise el RUC del receptor / Check the receiver RUC',
          }
        : {
            path: 'receiver.ruc',
            message: 'RUC no inscrito',
            code: 'RUC_NOT_REGISTERED',
            severity: 'error',
            hint: 'La DGI no tiene este RUC inscrito (1602): revise el RUC o emita a consumidor final / The DGI has no such RUC: check it, or issue to a final consumer',
          },
    ],
    warnings: [],
  };
}

/** What a registration says about our receiver data: names and DVs differing from the DGI's are warnings. */
function findingsOf(
  receiver: VerifiableReceiver,
  verification: Pick<RucVerification, 'dv' | 'name'>,
): Omit<ReceiverVerification, 'remember'> {
  const warnings: Finding[] = [];
  if (receiver.name !== undefined && comparableName(receiver.name) !== comparableName(verification.name)) {
    warnings.push({
      path: 'receiver.name',
      message: 'differs from the name registered at the DGI',
      code: 'RECEIVER_NAME_MISMATCH',
      severity: 'warning',
      hint: verification.name,
    });
  }
  if (receiver.dv !== undefined && receiver.dv !== verification.dv) {
    warnings.push({
      path: 'receiver.dv',
      message: 'differs from the DV registered at the DGI',
      code: 'RECEIVER_DV_MISMATCH',
      severity: 'warning',
      hint: verification.dv,
    });
  }
  return { errors: [], warnings };
}

function unverified(): Finding {
  return {
    path: 'receiver.ruc',
    message: 'could not be verified with HKA (ConsultarRucDV unavailable); issued unverified',
    code: 'RUC_NOT_VERIFIED',
    severity: 'warning',
    hint: 'HKA no respondió; si el RUC no está inscrito, HKA rechazará el documento / HKA did not answer; an unregistered RUC will be rejected by HKA',
  };
}

/**
 * Names compare without accents, case, punctuation or spacing: `Distribuidora Ejemplo, S.A.` is the DGI's
 * `DISTRIBUIDORA EJEMPLO SA`.
 */
export function comparableName(name: string): string {
  return name
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toUpperCase()
    .replace(/[^\p{L}\p{N}]/gu, '');
}

async function withDeadline<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([work, deadline]);
  } finally {
    clearTimeout(timer);
  }
}
