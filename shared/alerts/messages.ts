import { toPanamaDateTime } from '#shared/fiscal/panama-time';
import { type FolioForecast, spokenDate } from './forecast.ts';
import type { AlertEventType } from './kinds.ts';
import type { DigestProblem } from './store.ts';

export type AlertMessage = { subject: string; text: string };

type Detail = Record<string, unknown>;

const str = (value: unknown, fallback = '—') =>
  typeof value === 'string' && value !== '' ? value : typeof value === 'number' ? String(value) : fallback;

/** `2026-12-14T15:00:00.000Z` → `14 dic 2026 10:00` / `14 Dec 2026 10:00` (Panama time). */
function spokenInstant(iso: unknown): { es: string; en: string } {
  if (typeof iso !== 'string' || Number.isNaN(Date.parse(iso))) return { es: '—', en: '—' };
  const local = toPanamaDateTime(new Date(iso));
  const day = spokenDate(local.slice(0, 10));
  const time = local.slice(11, 16);
  return { es: `${day.es} ${time}`, en: `${day.en} ${time}` };
}

/** Spanish first, then English, as every factu e-mail to a tenant. */
function bilingual(company: string, subjectEs: string, es: string[], en: string[]): AlertMessage {
  return {
    subject: `[factu] ${company}: ${subjectEs}`,
    text: [
      ...es,
      '',
      'Puede dejar de recibir este aviso en Preferencias de alertas (PUT /v1/alert-preferences).',
      '',
      '— English —',
      '',
      ...en,
      '',
      'You can stop receiving this alert in Alert preferences (PUT /v1/alert-preferences).',
    ].join('\n'),
  };
}

/** The e-mail of one event (every kind except the digested documents' problems). */
export function alertMessage(
  type: Exclude<AlertEventType, 'document.rejected' | 'document.failed'>,
  detail: Detail,
  context: { company: string; forecast?: FolioForecast },
): AlertMessage {
  const { company } = context;
  switch (type) {
    case 'folios.low': {
      const forecast = context.forecast;
      const runsOut = forecast?.runsOutOn ? spokenDate(forecast.runsOutOn) : undefined;
      return bilingual(
        company,
        `quedan ${str(detail.available)} folios`,
        [
          `Quedan ${str(detail.available)} folios disponibles en el ciclo ${str(detail.cycle)} (su umbral de aviso es ${str(detail.threshold)}).`,
          runsOut
            ? `Al ritmo actual (${forecast?.averageDailyUse} por día en los últimos ${forecast?.windowDays} días) sus folios se agotan el ${runsOut.es}.`
            : `No hubo consumo en los últimos ${forecast?.windowDays ?? 30} días: no hay fecha estimada de agotamiento.`,
          'Compre más folios a The Factory HKA antes de que se agoten: sin folios no se pueden emitir documentos.',
        ],
        [
          `${str(detail.available)} folios are left in cycle ${str(detail.cycle)} (your alert threshold is ${str(detail.threshold)}).`,
          runsOut
            ? `At the current rate (${forecast?.averageDailyUse} a day over the last ${forecast?.windowDays} days) your folios run out on ${runsOut.en}.`
            : `There was no consumption in the last ${forecast?.windowDays ?? 30} days: no run-out date can be forecast.`,
          'Buy more folios from The Factory HKA before they run out: without folios no document can be issued.',
        ],
      );
    }
    case 'certificate.expiring': {
      const notAfter = spokenInstant(detail.notAfter);
      return bilingual(
        company,
        `su certificado de firma vence en ${str(detail.daysLeft)} día(s)`,
        [
          `El certificado de firma electrónica ${str(detail.certificateId)} vence el ${notAfter.es} (hora de Panamá), en ${str(detail.daysLeft)} día(s).`,
          'Después de esa fecha factu no firmará documentos con él: suba un certificado nuevo (POST /v1/certificates) antes de que venza.',
        ],
        [
          `The signing certificate ${str(detail.certificateId)} expires on ${notAfter.en} (Panama time), in ${str(detail.daysLeft)} day(s).`,
          'After that date factu will not sign documents with it: upload a new certificate (POST /v1/certificates) before it expires.',
        ],
      );
    }
    case 'hka.waiting-long': {
      const since = spokenInstant(detail.since);
      return bilingual(
        company,
        'documentos esperando a The Factory HKA hace más de una hora',
        [
          `The Factory HKA no responde desde el ${since.es}: ${str(detail.waiting)} documento(s) esperan para ser enviados.`,
          'No se pierde ninguno: factu los reintenta y los envía en orden cuando HKA responda.',
        ],
        [
          `The Factory HKA has not answered since ${since.en}: ${str(detail.waiting)} document(s) are waiting to be sent.`,
          'None is lost: factu retries them and sends them in order when HKA answers again.',
        ],
      );
    }
    case 'contingency.started': {
      const started = spokenInstant(detail.startedAt);
      return bilingual(
        company,
        'emisión en contingencia iniciada',
        [
          `Desde el ${started.es} sus documentos se emiten en contingencia (ambiente ${str(detail.environment)}): se firman localmente y se envían a HKA cuando responda.`,
        ],
        [
          `Since ${started.en} your documents are issued in contingency (${str(detail.environment)} environment): signed locally and sent to HKA when it answers.`,
        ],
      );
    }
    case 'contingency.ended': {
      const started = spokenInstant(detail.startedAt);
      const ended = spokenInstant(detail.endedAt);
      return bilingual(
        company,
        'contingencia terminada',
        [
          `La contingencia iniciada el ${started.es} terminó el ${ended.es}: ${str(detail.documents)} documento(s) emitidos en contingencia llegaron a HKA.`,
        ],
        [
          `The contingency started on ${started.en} ended on ${ended.en}: ${str(detail.documents)} document(s) issued in contingency reached HKA.`,
        ],
      );
    }
    case 'hka.credentials-failing':
      return bilingual(
        company,
        'The Factory HKA rechaza sus credenciales',
        [
          `The Factory HKA rechazó las credenciales guardadas del ambiente ${str(detail.environment)}: ${str(detail.message)}`,
          'Mientras no se corrijan no se pueden emitir documentos ni consultar folios: actualícelas en la configuración de HKA.',
        ],
        [
          `The Factory HKA refused the stored ${str(detail.environment)} credentials: ${str(detail.message)}`,
          'Until they are fixed no document can be issued and no folio balance read: update them in the HKA settings.',
        ],
      );
    case 'webhook.disabled':
      return bilingual(
        company,
        'webhook desactivado',
        [
          `El webhook ${str(detail.webhookId)} (${str(detail.url)}) fue desactivado tras ${str(detail.failures)} entregas fallidas seguidas.`,
          'Revise el receptor y vuelva a crear o activar el webhook; los eventos no entregados se pueden reenviar.',
        ],
        [
          `The webhook ${str(detail.webhookId)} (${str(detail.url)}) was disabled after ${str(detail.failures)} failed deliveries in a row.`,
          'Check the receiver and create or enable the webhook again; undelivered events can be redelivered.',
        ],
      );
  }
}

const STATUS_ES: Record<string, string> = { REJECTED: 'rechazado', FAILED: 'fallido' };

/** The digest of problem documents, oldest first. */
export function digestMessage(problems: readonly DigestProblem[], company: string): AlertMessage {
  const sorted = [...problems].sort((a, b) => a.at.localeCompare(b.at));
  const line = (p: DigestProblem, status: string) => `- ${p.number} (${status}): ${p.reason}`;
  return bilingual(
    company,
    `${sorted.length} documento(s) rechazado(s) o fallido(s)`,
    [
      `${sorted.length} documento(s) no fueron autorizados:`,
      ...sorted.map((p) => line(p, STATUS_ES[p.status] ?? p.status)),
      '',
      'Vea cada documento en GET /v1/documents/{id}; su folio fue devuelto.',
    ],
    [
      `${sorted.length} document(s) were not authorized:`,
      ...sorted.map((p) => line(p, p.status.toLowerCase())),
      '',
      'See each document at GET /v1/documents/{id}; its folio was given back.',
    ],
  );
}
