import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { PDFDocument } from 'pdf-lib';
import { renderMinutes } from '../../server/pdf/render-minutes';
import { buildLongMinutes, buildMinutes } from '../helpers/minutes-fixture';

describe('renderMinutes', () => {
  it('renders A4 pages and signature boxes on the last page, in the text area', async () => {
    const r = await renderMinutes(buildMinutes());
    const pdf = await PDFDocument.load(r.bytes);
    expect(pdf.getPageCount()).toBe(r.pageCount);
    const size = pdf.getPage(0).getSize();
    expect(size.width).toBeCloseTo(595.28, 1);
    expect(size.height).toBeCloseTo(841.89, 1);
    const { secretary, chair } = r.signatureBoxes;
    expect(secretary.page).toBe(r.pageCount - 1);
    expect(chair.page).toBe(r.pageCount - 1);
    expect(secretary.x + secretary.width).toBeLessThan(chair.x); // left, then right
    expect(secretary.y).toBeCloseTo(chair.y, 3);
    for (const b of [secretary, chair]) {
      expect(b.x).toBeGreaterThanOrEqual(85);
      expect(b.x + b.width).toBeLessThanOrEqual(595.28 - 42.5);
      expect(b.y).toBeGreaterThan(56.6);
    }
  });

  it('saves without object streams (needed for incremental signatures)', async () => {
    const r = await renderMinutes(buildMinutes());
    const text = Buffer.from(r.bytes).toString('latin1');
    expect(text).not.toContain('/ObjStm');
    expect(text).toMatch(/\nxref\n/);
  });

  it('states the real page count in the closing sentence, also for long minutes', async () => {
    const r = await renderMinutes(buildLongMinutes(140));
    expect(r.pageCount).toBeGreaterThanOrEqual(20);
    expect((await PDFDocument.load(r.bytes)).getPageCount()).toBe(r.pageCount);
  }, 30_000);

  it('never crashes on hostile text, and the output still parses', async () => {
    const nasty = [
      '😀👨‍👩‍👧‍👦🇻🇳',
      'a\u0301\u0301\u0301\u0323',
      '\u0000\u0001\u001b[31m\u007f',
      '\ud800\udfff\udbff',
      '\u202e\u200b\ufeff',
      'x'.repeat(1500),
      '\n\n\n',
      '',
      '   ',
    ];
    for (const s of nasty) {
      const doc = buildMinutes({ subject: s, number: s, location: s, conclusions: [s, s] });
      doc.agendaItems[0] = {
        title: s,
        presenter: s,
        discussion: s,
        speakers: [{ fullName: s, kind: 'question', summary: s }],
        conclusion: s,
      };
      doc.votes[0]!.choices[0]!.label = s;
      doc.chair = { fullName: s };
      const r = await renderMinutes(doc);
      await expect(PDFDocument.load(r.bytes)).resolves.toBeTruthy();
    }
  }, 60_000);

  it('survives random Unicode in every text field (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.string({ unit: 'binary', maxLength: 200 }),
        fc.string({ unit: 'grapheme', maxLength: 200 }),
        async (a, b) => {
          const doc = buildMinutes({ subject: a, location: b, conclusions: [a + b] });
          doc.agendaItems[1] = { ...doc.agendaItems[1]!, discussion: `${a}\n${b}`, title: b };
          doc.secretary = { fullName: a };
          const r = await renderMinutes(doc);
          expect(r.pageCount).toBeGreaterThan(0);
        },
      ),
      { numRuns: 12 },
    );
  }, 60_000);

  it('renders the Helvetica baseline without diacritics', async () => {
    const r = await renderMinutes(buildMinutes(), { fonts: 'helvetica' });
    expect((await PDFDocument.load(r.bytes)).getPageCount()).toBe(r.pageCount);
  });
});
