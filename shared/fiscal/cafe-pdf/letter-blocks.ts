// Building blocks of the US Letter CAFE. Each returns a Block laid out from y = 0; letter-layout.ts decides
// on which page it goes.
import { type Block, EMPTY_BLOCK, fitInBox, shiftOp, stack } from './block';
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
import { BODY, C, CONTENT_WIDTH, LEFT, RIGHT, rule, SIDE_WIDTH, SIDE_X, sectionTitle } from './letter-style';
import { type Column, table } from './letter-table';
import type { Measurer } from './measure';
import type { Op } from './ops';
import type { CafeView } from './view';

/** The logo's box in the header (points): about 1 × 0.8 inches. */
const LOGO_MAX_WIDTH = 72;
const LOGO_MAX_HEIGHT = 56;

export function header(m: Measurer, view: CafeView): Block {
  const { issuer } = view;
  const ops: Op[] = [];
  // The logo sits left of the issuer's lines, which move right by its width.
  let textX = LEFT;
  let logoHeight = 0;
  if (view.logo) {
    const { w, h } = fitInBox(view.logo, LOGO_MAX_WIDTH, LOGO_MAX_HEIGHT);
    ops.push({ kind: 'image', x: LEFT, y: 0, w, h, data: view.logo.data });
    textX += w + 10;
    logoHeight = h;
  }
  const leftWidth = SIDE_X - textX - 16;
  let y = 0;
  const name = m.text(issuer.name, textX, y, leftWidth, { font: 'Helvetica-Bold', size: 14 });
  ops.push(name.op);
  y += name.height + 4;
  const lines = [
    `RUC: ${issuer.ruc}    DV: ${issuer.dv}`,
    `Sucursal: ${issuer.branchCode}`,
    issuer.address,
    issuer.phones.length > 0 ? `Tel.: ${issuer.phones.join(' / ')}` : '',
    issuer.emails.length > 0 ? `Correo: ${issuer.emails.join(', ')}` : '',
  ].filter((line) => line !== '');
  for (const line of lines) {
    const t = m.text(line, textX, y, leftWidth, { size: BODY, color: C.muted, lineGap: 1 });
    ops.push(t.op);
    y += t.height + 1;
  }
  const box = documentBox(m, view);
  return { ops: [...ops, ...box.ops], height: Math.max(y, logoHeight, box.height) };
}

/** Dark band with the document type, then number/date/type/environment rows. */
function documentBox(m: Measurer, view: CafeView): Block {
  const pad = 7;
  const innerWidth = SIDE_WIDTH - 2 * pad;
  const title = m.text(view.documentType.label.toUpperCase(), SIDE_X + pad, pad, innerWidth, {
    font: 'Helvetica-Bold',
    size: 9.5,
    color: C.onBand,
    align: 'center',
  });
  const bandHeight = title.height + 2 * pad;
  const ops: Op[] = [{ kind: 'rect', x: SIDE_X, y: 0, w: SIDE_WIDTH, h: bandHeight, fill: C.band }, title.op];
  let y = bandHeight + 6;
  const rows: [string, string][] = [
    ['No.', view.number],
    ['Fecha de emisión', view.issuedAt],
    ['Tipo de documento', view.documentType.code],
    ['Ambiente', environmentLabel(view.environment)],
  ];
  if (view.emissionTypeLabel !== '') rows.push(['Tipo de emisión', view.emissionTypeLabel]);
  for (const [label, value] of rows) {
    const isNumber = label === 'No.';
    const l = m.text(label, SIDE_X + pad, y + (isNumber ? 2 : 0), 80, { size: 7.5, color: C.muted });
    const v = m.text(value, SIDE_X + pad + 60, y, innerWidth - 60, {
      font: 'Helvetica-Bold',
      size: isNumber ? 11 : 8.5,
      align: 'right',
    });
    ops.push(l.op, v.op);
    y += Math.max(l.height, v.height) + 4;
  }
  const height = y + pad - 4;
  ops.push({ kind: 'rect', x: SIDE_X, y: 0, w: SIDE_WIDTH, h: height, stroke: C.band, lineWidth: 0.8 });
  return { ops, height };
}

export function testBanner(m: Measurer, compact = false): Block {
  return banner(m, TEST_ENVIRONMENT_LEGEND, compact);
}

/** A contingency document's banner, on every page as the test legend is; the start date on the first. */
export function contingencyBanner(m: Measurer, startedAt: string, compact = false): Block {
  return banner(m, CONTINGENCY_LEGEND, compact, compact ? undefined : contingencyStartLine(startedAt));
}

/** A draft's banner, on every page as the test legend is. */
export function draftBanner(m: Measurer, compact = false): Block {
  return banner(m, DRAFT_LEGEND, compact);
}

function banner(m: Measurer, legend: string, compact: boolean, detail?: string): Block {
  const pad = compact ? 4 : 7;
  const t = m.text(legend, LEFT, pad, CONTENT_WIDTH, {
    font: 'Helvetica-Bold',
    size: compact ? 8.5 : 11,
    color: C.alert,
    align: 'center',
  });
  const more = detail
    ? m.text(detail, LEFT, pad + t.height + 2, CONTENT_WIDTH, { size: BODY, color: C.alert, align: 'center' })
    : undefined;
  const height = t.height + (more ? more.height + 2 : 0) + 2 * pad;
  return {
    ops: [
      {
        kind: 'rect',
        x: LEFT,
        y: 0,
        w: CONTENT_WIDTH,
        h: height,
        fill: C.alertFill,
        stroke: C.alert,
        lineWidth: 1,
      },
      t.op,
      ...(more ? [more.op] : []),
    ],
    height,
  };
}

/** Label/value pairs in a column: label above the value keeps long names from squeezing the label. */
function fields(m: Measurer, pairs: [string, string][], x: number, width: number): Block {
  const ops: Op[] = [];
  let y = 0;
  for (const [label, value] of pairs) {
    if (value === '') continue;
    const l = m.text(label, x, y, width, { size: 6.5, color: C.muted });
    const v = m.text(value, x, y + l.height, width, { size: BODY, lineGap: 1 });
    ops.push(l.op, v.op);
    y += l.height + v.height + 4;
  }
  return { ops, height: Math.max(0, y - 4) };
}

export function receiver(m: Measurer, view: CafeView): Block {
  const r = view.receiver;
  const title = sectionTitle(m, 'Datos del receptor');
  const top = title.height + 4;
  // The right column lines up with the document box above and the totals box below.
  const rightX = SIDE_X;
  const leftWidth = rightX - LEFT - 16;
  const id: [string, string] =
    r.ruc !== ''
      ? ['RUC / DV', r.dv !== '' ? `${r.ruc}  DV ${r.dv}` : r.ruc]
      : ['Identificación', r.foreignId];
  const left = fields(
    m,
    [
      ['Nombre o razón social', r.name || 'Consumidor final'],
      ['Dirección', r.address],
    ],
    LEFT,
    leftWidth,
  );
  const right = fields(
    m,
    [['Tipo de receptor', r.typeLabel], id, ['País', r.country]],
    rightX,
    RIGHT - rightX,
  );
  const ops = [...title.ops];
  for (const op of [...left.ops, ...right.ops]) ops.push(shiftOp(op, top));
  return { ops, height: top + Math.max(left.height, right.height) };
}

export function references(m: Measurer, view: CafeView): Block {
  if (view.references.length === 0) return EMPTY_BLOCK;
  const columns: Column[] = [
    { title: 'Emisor', width: 170, align: 'left' },
    { title: 'Fecha', width: 70, align: 'left' },
    {
      title: 'Documento referenciado (CUFE o número)',
      width: CONTENT_WIDTH - 240,
      align: 'left',
      mono: true,
    },
  ];
  const rows = view.references.map((r) => [r.issuerName, r.date, r.number]);
  return stack([sectionTitle(m, 'Documentos de referencia'), table(m, LEFT, columns, rows)], 4);
}

/** ITBMS by rate, payment forms and installments on the left; totals on the right. */
export function summary(m: Measurer, view: CafeView): Block {
  const leftWidth = 300;
  const itbms = stack(
    [
      sectionTitle(m, 'Resumen de ITBMS', LEFT, leftWidth),
      table(
        m,
        LEFT,
        [
          { title: 'Tasa', width: 70, align: 'left' },
          { title: 'Base imponible', width: 115, align: 'right' },
          { title: 'ITBMS', width: 115, align: 'right' },
        ],
        view.itbmsByRate.map((r) => [r.rate, r.base, r.tax]),
      ),
    ],
    4,
  );
  const payments = stack(
    [
      sectionTitle(m, 'Formas de pago', LEFT, leftWidth),
      table(
        m,
        LEFT,
        [
          { title: 'Forma de pago', width: 185, align: 'left' },
          { title: 'Monto', width: 115, align: 'right' },
        ],
        view.payments.map((p) => [p.label, p.amount]),
      ),
    ],
    4,
  );
  const installments =
    view.installments.length === 0
      ? EMPTY_BLOCK
      : stack(
          [
            sectionTitle(m, 'Pagos a plazo', LEFT, leftWidth),
            table(
              m,
              LEFT,
              [
                { title: 'Cuota', width: 60, align: 'left' },
                { title: 'Vencimiento', width: 125, align: 'left' },
                { title: 'Monto', width: 115, align: 'right' },
              ],
              view.installments.map((i) => [i.number, i.dueDate, i.amount]),
            ),
          ],
          4,
        );
  const left = stack([itbms, payments, installments], 12);
  const right = totals(m, view);
  return { ops: [...left.ops, ...right.ops], height: Math.max(left.height, right.height) };
}

function totals(m: Measurer, view: CafeView): Block {
  const t = view.totals;
  const pad = 7;
  const ops: Op[] = [];
  let y = pad;
  const line = (label: string, value: string, strong = false) => {
    const size = strong ? 11 : 8.5;
    const color = strong ? C.onBand : C.ink;
    const font = strong ? 'Helvetica-Bold' : 'Helvetica';
    const l = m.text(label, SIDE_X + pad, y, 110, { font, size, color });
    const v = m.text(value, SIDE_X + pad + 80, y, SIDE_WIDTH - 2 * pad - 80, {
      font,
      size,
      color,
      align: 'right',
    });
    if (strong) {
      ops.push({ kind: 'rect', x: SIDE_X, y: y - 5, w: SIDE_WIDTH, h: l.height + 10, fill: C.band });
    }
    ops.push(l.op, v.op);
    y += Math.max(l.height, v.height) + (strong ? 10 : 4);
  };
  line('Total neto', t.neto);
  if (t.descuentos !== '') line('Descuentos', t.descuentos);
  if (t.acarreo !== '') line('Acarreo', t.acarreo);
  if (t.seguro !== '') line('Seguro', t.seguro);
  line('ITBMS', t.itbms);
  if (t.isc !== '') line('ISC', t.isc);
  line('Total impuestos', t.gravado);
  y += 5;
  line('TOTAL B/.', t.total, true);
  line('Total recibido', t.recibido);
  if (t.vuelto !== '') line('Vuelto', t.vuelto);
  const height = y + pad - 4;
  ops.push({ kind: 'rect', x: SIDE_X, y: 0, w: SIDE_WIDTH, h: height, stroke: C.band, lineWidth: 0.8 });
  return { ops, height };
}

export function info(m: Measurer, view: CafeView): Block {
  if (view.info === '') return EMPTY_BLOCK;
  const title = sectionTitle(m, 'Información adicional');
  const t = m.text(view.info, LEFT, title.height + 2, CONTENT_WIDTH, { size: BODY, lineGap: 1 });
  return { ops: [...title.ops, t.op], height: title.height + 2 + t.height };
}

/** QR, CUFE, protocol and the DGI consultation legend, framed together because they verify the document. */
export function authorization(m: Measurer, view: CafeView): Block {
  const pad = 8;
  const qrSize = 120;
  const textX = LEFT + pad + qrSize + 12;
  const textWidth = RIGHT - pad - textX;
  const ops: Op[] = [{ kind: 'qr', x: LEFT + pad, y: pad, size: qrSize, url: view.qrUrl }];
  let y = pad + 4;
  const pair = (label: string, value: string, style: Parameters<Measurer['text']>[4]) => {
    const l = m.text(label, textX, y, textWidth, { size: 7, color: C.muted });
    const v = m.text(value, textX, y + l.height + 1, textWidth, style);
    ops.push(l.op, v.op);
    y += l.height + 1 + v.height + 6;
  };
  if (view.contingency) {
    pair('Protocolo de autorización', CONTINGENCY_PENDING, { font: 'Helvetica-Bold', size: 10 });
    pair('Inicio de la contingencia', view.contingency.startedAt, { font: 'Helvetica-Bold', size: 9 });
  } else {
    pair('Protocolo de autorización', view.authorization.protocol, { font: 'Helvetica-Bold', size: 10 });
    pair('Fecha de autorización', view.authorization.authorizedAt, { font: 'Helvetica-Bold', size: 9 });
  }
  pair('CUFE (clave de acceso)', view.cufe, { font: 'Courier', size: 8.5 });
  const legend = m.text(`${CONSULTATION_LEGEND} ${QR_LEGEND}`, textX, y, textWidth, {
    size: 7.5,
    color: C.muted,
    lineGap: 1,
  });
  ops.push(legend.op);
  y += legend.height;
  const height = Math.max(y, qrSize) + pad;
  ops.push({ kind: 'rect', x: LEFT, y: 0, w: CONTENT_WIDTH, h: height, stroke: C.rule, lineWidth: 0.8 });
  return { ops, height };
}

/** Where a draft has no QR, CUFE or protocol: the legend and why there are none. */
export function draftNotice(m: Measurer): Block {
  const pad = 8;
  const title = m.text(DRAFT_LEGEND, LEFT + pad, pad, CONTENT_WIDTH - 2 * pad, {
    font: 'Helvetica-Bold',
    size: 12,
    color: C.alert,
    align: 'center',
  });
  const notice = m.text(DRAFT_NOTICE, LEFT + pad, pad + title.height + 4, CONTENT_WIDTH - 2 * pad, {
    size: BODY,
    color: C.alert,
    align: 'center',
  });
  const height = pad + title.height + 4 + notice.height + pad;
  return {
    ops: [
      {
        kind: 'rect',
        x: LEFT,
        y: 0,
        w: CONTENT_WIDTH,
        h: height,
        stroke: C.alert,
        lineWidth: 1,
        fill: C.alertFill,
      },
      title.op,
      notice.op,
    ],
    height,
  };
}

export function continuationHeader(m: Measurer, view: CafeView): Block {
  const split = 220;
  const left = m.text(view.issuer.name, LEFT, 0, split - 10, { font: 'Helvetica-Bold', size: 9 });
  const title = `${view.documentType.label} No. ${view.number} (continuación)`;
  const right = m.text(title, LEFT + split, 0, CONTENT_WIDTH - split, {
    font: 'Helvetica-Bold',
    size: 9,
    align: 'right',
  });
  const height = Math.max(left.height, right.height) + 4;
  return { ops: [left.op, right.op, rule(height, LEFT, RIGHT, C.band, 0.8)], height: height + 2 };
}

export function footer(m: Measurer, view: CafeView, page: number, pages: number): Block {
  const left = m.text(`${CAFE_TITLE} (CAFE) · ${view.documentType.label} No. ${view.number}`, LEFT, 6, 400, {
    size: 7,
    color: C.muted,
  });
  const right = m.text(`Página ${page} de ${pages}`, RIGHT - 120, 6, 120, {
    size: 7,
    color: C.muted,
    align: 'right',
  });
  return { ops: [rule(0), left.op, right.op], height: 6 + left.height };
}
