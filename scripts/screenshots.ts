// Screenshots of the main screens at tablet (1280×800 landscape, 800×1280 portrait) and desktop
// sizes, for reviewing the layout: `npm run build && npx tsx scripts/screenshots.ts [outDir]`.
import fs from 'node:fs';
import path from 'node:path';
import { buildTestApp } from '../tests/helpers/build-app';
import { collectErrors, launchBrowser, loginThroughUi } from '../tests/helpers/browser';

const out = path.resolve(process.argv[2] ?? 'screenshots');
fs.mkdirSync(out, { recursive: true });
const server = await buildTestApp({ listen: true, config: { clientDistDir: path.resolve('client/dist') } });
const browser = await launchBrowser();
const sizes = [
  { name: 'tablet-landscape', width: 1280, height: 800, touch: true },
  { name: 'tablet-portrait', width: 800, height: 1280, touch: true },
  { name: 'desktop', width: 1600, height: 960, touch: false },
];
try {
  for (const size of sizes) {
    const context = await browser.newContext({
      viewport: { width: size.width, height: size.height },
      hasTouch: size.touch,
      deviceScaleFactor: 1,
    });
    const page = await context.newPage();
    const errors = collectErrors(page);
    const ranges: string[] = [];
    page.on('response', (r) => {
      if (r.url().includes('/file'))
        ranges.push(`${r.status()} ${r.request().headers().range ?? 'full'} ${r.headers()['content-length'] ?? ''}`);
    });
    await page.goto(server.url);
    await page.screenshot({ path: path.join(out, `${size.name}-0-login.png`) });
    await loginThroughUi(page, server.url, 'chair');
    await page.locator('.meeting-card').first().waitFor();
    await page.screenshot({ path: path.join(out, `${size.name}-1-meetings.png`) });
    await page.locator('.meeting-card').first().click();
    await page.locator('.meeting-overview').waitFor();
    await page.screenshot({ path: path.join(out, `${size.name}-2-meeting.png`) });
    if (!(await page.locator('.agenda-item').first().isVisible())) await page.getByTestId('toggle-agenda').click();
    await page.screenshot({ path: path.join(out, `${size.name}-3-agenda.png`) });
    await page.locator('[data-document-id]').nth(1).click();
    await page.locator('.pdf-page[data-rendered="true"]').waitFor();
    await page.waitForFunction(
      () => document.querySelectorAll('.thumb canvas').length >= 2 || !document.querySelector('.thumbs'),
    );
    await page.screenshot({ path: path.join(out, `${size.name}-4-document.png`) });
    await page.getByTestId('fit-page').click();
    await page.locator('.pdf-page[data-rendered="true"]').waitFor();
    await page.screenshot({ path: path.join(out, `${size.name}-5-fit-page.png`) });
    console.log(size.name, 'file responses:', ranges.join(' | '), errors.length ? `errors: ${errors.join('; ')}` : 'no errors');
    await context.close();
  }
} finally {
  await browser.close();
  await server.close();
}
