// 6. Minutes: render a 20-page biên bản with the embedded, subset Vietnamese font (the product's
// renderMinutes default) vs the same layout in Helvetica (renderMinutes' 'helvetica' variant,
// a diacritic-less baseline that uses the standard font, no embedding). Median of several runs,
// in this process, the two alternating, after a warm-up run of each.
import { renderMinutes } from '../server/pdf/render-minutes';
import { buildLongMinutes } from '../tests/helpers/minutes-fixture';
import { median, timeAlternating } from './lib/stats';
import type { BenchResult } from './lib/report';
import type { BenchOptions } from './run';

export async function minutes(o: BenchOptions): Promise<BenchResult> {
  // find the paragraph count that fills 20 pages with the embedded font
  let paragraphs = 100;
  let pages = 0;
  for (let i = 0; i < 8; i++) {
    pages = (await renderMinutes(buildLongMinutes(paragraphs))).pageCount;
    if (pages === 20) break;
    paragraphs = Math.max(10, Math.round((paragraphs * 20) / pages) - (pages > 20 ? 1 : 0));
  }
  const doc = buildLongMinutes(paragraphs);
  const runs = o.quick ? 3 : 9;
  const { a: product, b: baseline } = await timeAlternating(
    runs,
    1,
    () => renderMinutes(doc),
    () => renderMinutes(doc, { fonts: 'helvetica' }),
  );
  const helvPages = (await renderMinutes(doc, { fonts: 'helvetica' })).pageCount;
  o.log(
    `  minutes: ${pages} pages (helvetica ${helvPages}); embedded ${median(product).toFixed(0)} ms, helvetica ${median(baseline).toFixed(0)} ms`,
  );
  return {
    name: 'minutes',
    rows: [
      {
        bench: 'minutes',
        metric: `render ${pages} pages (median)`,
        unit: 'ms',
        project: median(product),
        baseline: median(baseline),
        target: { limit: 1.5, direction: 'max' },
      },
    ],
    extra: { paragraphs, pages, helveticaPages: helvPages, runs, productMs: product, helveticaMs: baseline },
  };
}
