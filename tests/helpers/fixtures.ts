// Real-world PDFs from ../shared/fixtures/pdfs (beside the project root; every developer and CI has it).
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const FIXTURE_DIR =
  process.env.FIXTURES ?? path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../shared/fixtures/pdfs');

export const fixtureNames = () =>
  fs
    .readdirSync(FIXTURE_DIR)
    .filter((f) => f.endsWith('.pdf'))
    .sort();
export const fixture = (name: string) => fs.readFileSync(path.join(FIXTURE_DIR, name));
