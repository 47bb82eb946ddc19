// Writes docs/configuration.md from the configuration schema (server/config-doc.ts).
import fs from 'node:fs';
import { renderConfigDoc } from '../server/config-doc';

fs.writeFileSync(new URL('../docs/configuration.md', import.meta.url), renderConfigDoc());
console.log('docs/configuration.md written');
