// Manual visual check (not a test): renders the fixtures to a folder, then look at them with
//   npx tsx test/unit/cafe-pdf/render-samples.ts /tmp/cafe && pdftoppm -png -r 80 /tmp/cafe/x.pdf /tmp/cafe/x
import { writeFileSync } from 'node:fs';
import { renderCafePdf } from '#shared/fiscal/cafe-pdf/render';
import { edgeView, manyItemsView, oneItemView, sampleView } from './fixtures';

const out = process.argv[2] ?? '/tmp/cafe';
const cases = { sample: sampleView(), one: oneItemView(), many: manyItemsView(60), edge: edgeView() };
for (const [name, view] of Object.entries(cases)) {
  for (const layout of ['letter', 'ticket'] as const) {
    writeFileSync(`${out}/${name}-${layout}.pdf`, await renderCafePdf(view, { layout }));
  }
}
