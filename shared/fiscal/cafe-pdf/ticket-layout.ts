// 80 mm thermal ticket ("cinta de papel", iFormCAFE 2): one column, black only (thermal heads print no
// grey), one page whose height is the content's height — a roll has no page breaks.
import { type Block, EMPTY_BLOCK, fitInBox, placeBlock, stack } from './block';
import {
  CAFE_TITLE,
  CONSULTATION_LEGEND,
  CONTINGENCY_LEGEND,
  CONTINGENCY_PENDING,
  contingencyStartLine,
  DRAFT_LEGEND,
  DRAFT_NOTICE,
  environmentLabel,
  QR_LEGEND,
  TEST_ENVIRONMENT_LEGEND,
} from './legends';
import type { Measurer, TextStyle } from './measure';
import type { Op, PageLayout } from './ops';
import type { CafeItem, CafeView } from './view';

/** 80 mm in points. */
export const TICKET_WIDTH = (80 / 25.4) * 72;
const MARGIN = 11;
const LEFT = MARGIN;
const WIDTH = TICKET_WIDTH - 2 * MARGIN;
const INK = '#000000';
const SMALL = 7;
const BODY = 7.5;
const QR_SIZE = 150;
const BLOCK_GAP = 4;
/** 200 in: the largest page PDF viewers render (Acrobat's implementation limit). */
const MAX_PAGE_HEIGHT = 14_400;

function text(m: Measurer, value: string, style: TextStyle = {}, x = LEFT, width = WIDTH): Block {
  if (value === '') return EMPTY_BLOCK;
  const t = m.text(value, x, 0, width, { size: BODY, color: INK, lineGap: 0.5, ...style });
  return { ops: [t.op], height: t.height };
}

const center = (m: Measurer, value: string, style: TextStyle = {}) =>
  text(m, value, { align: 'center', ...style });

/** Label on the left, value right-aligned on the same line (the value wins the width it needs). */
function pair(m: Measurer, label: string, value: string, style: TextStyle = {}): Block {
  const valueWidth = Math.min(WIDTH * 0.6, m.width(value, style.font ?? 'Helvetica', style.size ?? BODY) + 2);
  const l = m.text(label, LEFT, 0, WIDTH - valueWidth - 4, { size: BODY, color: INK, ...style });
  const v = m.text(value, LEFT + WIDTH - valueWidth, 0, valueWidth, {
    size: BODY,
    color: INK,
    ...style,
    align: 'right',
  });
  return { ops: [l.op, v.op], height: Math.max(l.height, v.height) };
}

function separator(): Block {
  return {
    ops: [{ kind: 'line', x1: LEFT, y1: 4, x2: LEFT + WIDTH, y2: 4, color: INK, width: 0.6, dash: 2 }],
    height: 8,
  };
}

/** The logo centred above the issuer's name, at most 40 points tall. */
function logoBlock(view: CafeView): Block {
  if (!view.logo) return EMPTY_BLOCK;
  const { w, h } = fitInBox(view.logo, WIDTH, 40);
  return { ops: [{ kind: 'image', x: LEFT + (WIDTH - w) / 2, y: 0, w, h, data: view.logo.data }], height: h };
}

function issuerBlock(m: Measurer, view: CafeView): Block {
  const { issuer } = view;
  return stack(
    [
      logoBlock(view),
      center(m, issuer.name, { font: 'Helvetica-Bold', size: 10 }),
      stack(
        [
          center(m, `RUC: ${issuer.ruc}  DV: ${issuer.dv}`, { size: SMALL }),
          center(m, `Sucursal: ${issuer.branchCode}`, { size: SMALL }),
          center(m, issuer.address, { size: SMALL }),
          center(m, issuer.phones.length > 0 ? `Tel.: ${issuer.phones.join(' / ')}` : '', { size: SMALL }),
          center(m, issuer.emails.join(', '), { size: SMALL }),
        ],
        1,
      ),
    ],
    3,
  );
}

function testBanner(m: Measurer): Block {
  return banner(m, TEST_ENVIRONMENT_LEGEND.toUpperCase());
}

function banner(m: Measurer, legend: string): Block {
  const pad = 4;
  const t = m.text(legend, LEFT + pad, pad, WIDTH - 2 * pad, {
    font: 'Helvetica-Bold',
    size: 8,
    color: INK,
    align: 'center',
  });
  const height = t.height + 2 * pad;
  return {
    ops: [{ kind: 'rect', x: LEFT, y: 0, w: WIDTH, h: height, stroke: INK, lineWidth: 1.5 }, t.op],
    height,
  };
}

function documentBlock(m: Measurer, view: CafeView): Block {
  return stack(
    [
      center(m, view.documentType.label.toUpperCase(), { font: 'Helvetica-Bold', size: 9 }),
      center(m, `No. ${view.number}`, { font: 'Helvetica-Bold', size: 10 }),
      center(m, `Fecha de emisión: ${view.issuedAt}`, { size: SMALL }),
      center(
        m,
        `Tipo de documento: ${view.documentType.code} · Ambiente: ${environmentLabel(view.environment)}`,
        {
          size: SMALL,
        },
      ),
      center(m, view.emissionTypeLabel === '' ? '' : `Emisión: ${view.emissionTypeLabel}`, { size: SMALL }),
    ],
    2,
  );
}

function receiverBlock(m: Measurer, view: CafeView): Block {
  const r = view.receiver;
  const id =
    r.ruc !== ''
      ? `RUC: ${r.ruc}${r.dv !== '' ? `  DV: ${r.dv}` : ''}`
      : r.foreignId && `Identificación: ${r.foreignId}`;
  return stack(
    [
      text(m, `Cliente: ${r.name || 'Consumidor final'}`, { font: 'Helvetica-Bold' }),
      text(m, `Tipo: ${r.typeLabel}`, { size: SMALL }),
      text(m, id, { size: SMALL }),
      text(m, r.address && `Dirección: ${r.address}`, { size: SMALL }),
      text(m, r.country && `País: ${r.country}`, { size: SMALL }),
    ],
    1.5,
  );
}

function referencesBlock(m: Measurer, view: CafeView): Block {
  if (view.references.length === 0) return EMPTY_BLOCK;
  return stack(
    [
      text(m, 'Documentos de referencia', { font: 'Helvetica-Bold', size: SMALL }),
      ...view.references.map((r) =>
        stack([
          text(m, `${r.issuerName} · ${r.date}`, { size: SMALL }),
          text(m, r.number, { font: 'Courier', size: 6 }),
        ]),
      ),
    ],
    2,
  );
}

function itemBlock(m: Measurer, item: CafeItem): Block {
  const title = `${item.lineNumber}. ${item.code !== '' ? `[${item.code}] ` : ''}${item.description}`;
  const qty = `${item.quantity}${item.unit !== '' ? ` ${item.unit}` : ''} x ${item.unitPrice}`;
  const discount = item.discount !== '' ? `  Desc. ${item.discount}` : '';
  return stack(
    [
      text(m, title),
      text(m, item.notes ? `   ${item.notes}` : '', { size: SMALL }),
      pair(m, `   ${qty}${discount}  ITBMS ${item.itbmsRate}: ${item.itbmsAmount}`, item.lineTotal, {
        size: SMALL,
      }),
    ],
    1,
  );
}

/** Header, then one block per item, so a very long ticket can be split between items. */
function itemBlocks(m: Measurer, view: CafeView): Block[] {
  const head = stack([pair(m, 'DESCRIPCIÓN', 'TOTAL', { font: 'Helvetica-Bold', size: SMALL }), separator()]);
  return [head, ...view.items.map((item) => itemBlock(m, item))];
}

function itbmsBlock(m: Measurer, view: CafeView): Block {
  const col = WIDTH / 3;
  const row = (cells: [string, string, string], bold = false): Block => {
    const style: TextStyle = { size: SMALL, color: INK, font: bold ? 'Helvetica-Bold' : 'Helvetica' };
    const a = m.text(cells[0], LEFT, 0, col, style);
    const b = m.text(cells[1], LEFT + col, 0, col, { ...style, align: 'right' });
    const c = m.text(cells[2], LEFT + 2 * col, 0, col, { ...style, align: 'right' });
    return { ops: [a.op, b.op, c.op], height: Math.max(a.height, b.height, c.height) };
  };
  return stack(
    [
      row(['Tasa ITBMS', 'Base imponible', 'Impuesto'], true),
      ...view.itbmsByRate.map((r) => row([r.rate, r.base, r.tax])),
    ],
    1.5,
  );
}

function totalsBlock(m: Measurer, view: CafeView): Block {
  const t = view.totals;
  return stack(
    [
      pair(m, 'Total neto', t.neto),
      t.descuentos !== '' ? pair(m, 'Descuentos', t.descuentos) : EMPTY_BLOCK,
      t.acarreo !== '' ? pair(m, 'Acarreo', t.acarreo) : EMPTY_BLOCK,
      t.seguro !== '' ? pair(m, 'Seguro', t.seguro) : EMPTY_BLOCK,
      pair(m, 'ITBMS', t.itbms),
      t.isc !== '' ? pair(m, 'ISC', t.isc) : EMPTY_BLOCK,
      pair(m, 'Total impuestos', t.gravado),
      stack([{ ops: [], height: 2 }, pair(m, 'TOTAL B/.', t.total, { font: 'Helvetica-Bold', size: 11 })]),
      pair(m, 'Total recibido', t.recibido),
      t.vuelto !== '' ? pair(m, 'Vuelto', t.vuelto) : EMPTY_BLOCK,
    ],
    2,
  );
}

function paymentsBlock(m: Measurer, view: CafeView): Block {
  const installments =
    view.installments.length === 0
      ? []
      : [
          text(m, 'Pagos a plazo', { font: 'Helvetica-Bold', size: SMALL }),
          ...view.installments.map((i) =>
            pair(m, `Cuota ${i.number} · vence ${i.dueDate}`, i.amount, { size: SMALL }),
          ),
        ];
  return stack(
    [
      text(m, 'Formas de pago', { font: 'Helvetica-Bold', size: SMALL }),
      ...view.payments.map((p) => pair(m, p.label, p.amount, { size: SMALL })),
      ...installments,
    ],
    1.5,
  );
}

function authorizationBlock(m: Measurer, view: CafeView): Block {
  const qr: Block = {
    ops: [{ kind: 'qr', x: LEFT + (WIDTH - QR_SIZE) / 2, y: 0, size: QR_SIZE, url: view.qrUrl }],
    height: QR_SIZE,
  };
  const { contingency } = view;
  return stack(
    [
      center(m, 'Protocolo de autorización', { size: SMALL }),
      center(m, contingency ? CONTINGENCY_PENDING : view.authorization.protocol, {
        font: 'Helvetica-Bold',
        size: 9,
      }),
      center(
        m,
        contingency
          ? `Inicio de la contingencia: ${contingency.startedAt}`
          : `Fecha de autorización: ${view.authorization.authorizedAt}`,
        { size: SMALL },
      ),
      qr,
      center(m, 'CUFE (clave de acceso)', { size: SMALL }),
      center(m, view.cufe, { font: 'Courier', size: 6.2 }),
      center(m, `${CONSULTATION_LEGEND} ${QR_LEGEND}`, { size: 6.5 }),
    ],
    3,
  );
}

/** Where a draft has no QR, CUFE or protocol: why there are none. */
function draftNoticeBlock(m: Measurer): Block {
  return stack([banner(m, DRAFT_LEGEND), center(m, DRAFT_NOTICE, { size: SMALL })], 3);
}

export function layoutTicket(m: Measurer, view: CafeView): PageLayout[] {
  const isTest = view.environment === '2';
  const draft = view.draft ? banner(m, DRAFT_LEGEND) : EMPTY_BLOCK;
  const contingency = view.contingency
    ? stack(
        [
          banner(m, CONTINGENCY_LEGEND),
          center(m, contingencyStartLine(view.contingency.startedAt), { size: SMALL }),
        ],
        2,
      )
    : EMPTY_BLOCK;
  const blocks = [
    issuerBlock(m, view),
    isTest ? testBanner(m) : EMPTY_BLOCK,
    draft,
    contingency,
    separator(),
    documentBlock(m, view),
    separator(),
    receiverBlock(m, view),
    referencesBlock(m, view),
    separator(),
    ...itemBlocks(m, view),
    separator(),
    itbmsBlock(m, view),
    separator(),
    totalsBlock(m, view),
    separator(),
    paymentsBlock(m, view),
    view.info !== '' ? separator() : EMPTY_BLOCK,
    text(m, view.info, { size: SMALL }),
    separator(),
    view.draft ? draftNoticeBlock(m) : authorizationBlock(m, view),
    // Repeated at the end: on a long roll the top may already be torn off or out of sight.
    isTest ? testBanner(m) : EMPTY_BLOCK,
    view.contingency ? banner(m, CONTINGENCY_LEGEND) : EMPTY_BLOCK,
    center(m, CAFE_TITLE, { size: 6 }),
  ];
  return paginate(blocks.filter((block) => block.height > 0));
}

/**
 * One page as tall as its content. Only a ticket longer than what PDF viewers accept (200 in, the
 * implementation limit of Acrobat) continues on a next page, cut between blocks, never inside one.
 */
function paginate(blocks: Block[]): PageLayout[] {
  const pages: PageLayout[] = [];
  let ops: Op[] = [];
  let y = MARGIN;
  const close = () => pages.push({ width: TICKET_WIDTH, height: Math.ceil(y + MARGIN), ops });
  for (const block of blocks) {
    const top = ops.length === 0 ? y : y + BLOCK_GAP;
    if (ops.length > 0 && top + block.height + MARGIN > MAX_PAGE_HEIGHT) {
      close();
      ops = [];
      y = placeBlock(ops, block, MARGIN);
    } else {
      y = placeBlock(ops, block, top);
    }
  }
  close();
  return pages;
}
