/** Regenerates the committed `Service.wsdl`: `tsx shared/hka/wsdl/write-wsdl.ts`. */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { renderWsdl } from './generate-wsdl.ts';

const path = fileURLToPath(new URL('./Service.wsdl', import.meta.url));
writeFileSync(path, renderWsdl());
console.log(`wrote ${path}`);
