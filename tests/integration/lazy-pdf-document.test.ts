// The export reads PDFs lazily through their cross-reference data (server/pdf/lazy-pdf-document.ts)
// instead of pdf-lib's full load. The pages it sees must be exactly pdf-lib's, for classic tables,
// cross-reference streams with PNG predictors and object streams (qpdf's output), linearized files
// and files already carrying an incremental update; files whose tables are broken go to pdf-lib's
// full load, and the export of every kind stays a valid incremental update.
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { PDFDocument } from 'pdf-lib';
import { burnAnnotations, type BurnMark } from '../../server/pdf/burn-annotations';
import { openLazily } from '../../server/pdf/lazy-pdf-document';
import { fixture, fixtureNames } from '../helpers/fixtures';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hopso-lazy-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** the fixture rewritten by qpdf (which also repairs a broken table) with the given options */
function viaQpdf(name: string, args: string[]): Uint8Array {
  const src = path.join(dir, name);
  if (!fs.existsSync(src)) fs.writeFileSync(src, fixture(name));
  const out = path.join(dir, `${name}${args.join('')}.pdf`);
  // exit status 3: written, with warnings (the broken fixtures)
  const r = spawnSync('qpdf', [...args, src, out]);
  if (r.status !== 0 && r.status !== 3) throw new Error(`qpdf: ${r.stderr.toString()}`);
  return new Uint8Array(fs.readFileSync(out));
}

/** Every page as pdf-lib sees it: its ref, dictionary, inherited resources, rotation and box. */
function pagesOf(doc: PDFDocument): string[] {
  return doc
    .getPages()
    .map((p) =>
      [
        p.ref.toString(),
        p.node.toString(),
        p.node.Resources()?.toString(),
        p.getRotation().angle,
        JSON.stringify(p.getMediaBox()),
      ].join('|'),
    );
}

const BROKEN = new Set(['helloworld-bad.pdf', 'issue9105_reduced.pdf', 'scan-bad.pdf']);
const marks: BurnMark[] = [
  {
    id: 'ink',
    page: 1,
    layer: 'shared',
    tool: 'pen',
    color: '#c02020',
    width: 2,
    points: [
      [60, 60, 0.5],
      [90, 80, 0.5],
      [120, 70, 0.5],
    ],
  },
  {
    id: 'hl',
    page: 1,
    layer: 'shared',
    tool: 'highlighter',
    color: '#ffd60a',
    width: 10,
    points: [
      [60, 100, 0.5],
      [160, 100, 0.5],
    ],
  },
];

describe('lazy PDF reading for exports', () => {
  const variants = fixtureNames().flatMap((name) => [
    // the broken fixtures' tables do not match their objects: pdf-lib's full load reads those
    { label: name, broken: BROKEN.has(name), bytes: () => new Uint8Array(fixture(name)) },
    { label: `${name}, object streams (qpdf)`, broken: false, bytes: () => viaQpdf(name, ['--object-streams=generate']) },
    {
      label: `${name}, linearized (qpdf)`,
      broken: false,
      bytes: () => viaQpdf(name, ['--linearize', '--object-streams=generate']),
    },
  ]);

  it.each(variants)("$label: the same pages as pdf-lib's full load", async ({ broken, bytes }) => {
    const pdf = bytes();
    const lazy = openLazily(pdf);
    if (broken) {
      expect(lazy).toBeUndefined();
      return;
    }
    expect(lazy).toBeDefined();
    const full = await PDFDocument.load(pdf, { updateMetadata: false });
    expect(pagesOf(lazy!)).toEqual(pagesOf(full));
  });

  it.each(variants.filter((v) => !v.broken))(
    '$label: the export is the original plus an update qpdf accepts',
    async ({ label, bytes }) => {
      const pdf = bytes();
      // read lazily: no full load behind the export's back (a silent fallback would only be slow)
      const load = vi.spyOn(PDFDocument, 'load');
      for (const flatten of [false, true]) {
        const out = await burnAnnotations(pdf, marks, { flatten });
        expect(load).not.toHaveBeenCalled();
        expect(Buffer.compare(Buffer.from(out.subarray(0, pdf.length)), Buffer.from(pdf))).toBe(0);
        const file = path.join(dir, `out-${flatten}.pdf`);
        fs.writeFileSync(file, out);
        expect(execFileSync('qpdf', ['--check', file], { encoding: 'utf8' }), label).toContain(
          'No syntax or stream encoding errors',
        );
      }
      load.mockRestore();
    },
  );

  it('a file that already carries an update: the second export reads the newest page dictionaries', async () => {
    const once = await burnAnnotations(new Uint8Array(fixture('sizes.pdf')), marks, { flatten: false });
    const lazy = openLazily(once);
    expect(lazy).toBeDefined();
    expect(pagesOf(lazy!)).toEqual(pagesOf(await PDFDocument.load(once, { updateMetadata: false })));
    const twice = await burnAnnotations(
      once,
      marks.map((m) => ({ ...m, id: `${m.id}2` })),
      { flatten: false },
    );
    const again = await PDFDocument.load(twice, { updateMetadata: false });
    expect(again.getPage(0).node.Annots()?.size()).toBe(4);
  });

  it('a table pointing at the wrong object: the export falls back to pdf-lib and still works', async () => {
    // shift every offset of sizes.pdf's table by one byte: each lookup finds no "n 0 obj" there
    const pdf = Buffer.from(fixture('sizes.pdf'));
    const text = pdf
      .toString('latin1')
      .replace(/(\d{10}) (\d{5}) n/g, (_, off: string, gen: string) => `${String(Number(off) + 1).padStart(10, '0')} ${gen} n`);
    const broken = new Uint8Array(Buffer.from(text, 'latin1'));
    const lazy = openLazily(broken);
    // the table itself reads; the first object looked up through it does not
    expect(lazy).not.toBeNull();
    expect(() => lazy!.getPages()).toThrow();
    const out = await burnAnnotations(broken, marks, { flatten: false });
    const doc = await PDFDocument.load(out, { updateMetadata: false });
    expect(doc.getPageCount()).toBe(3);
    expect(doc.getPage(0).node.Annots()?.size()).toBe(2);
  });
});
