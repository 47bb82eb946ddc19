// `npx tsx scripts/measure-upload.ts [n]`: how long uploading a one-page PDF takes through the real
// app (inject, real SQLite in a temp dir, the real PDF workers), n times in a row; prints each
// upload's milliseconds and the median. Issue 14 item 6: the first figure includes starting the
// pool, the others should not pay a thread start.
import { PDFDocument } from 'pdf-lib';
import { buildTestApp } from '../tests/helpers/build-app';
import { multipartFile, session } from '../tests/helpers/http';

const n = Number(process.argv[2] ?? 10);
const t = await buildTestApp({ seed: true });
try {
  const admin = await session(t.app, 'admin');
  const meetingId = (await admin.get('/api/meetings')).json()[0].id as string;
  const ms: number[] = [];
  for (let i = 0; i < n; i++) {
    const pdf = await PDFDocument.create();
    pdf.addPage().drawText(`one page, upload ${i} ${Date.now()}`); // new bytes each time: no dedup shortcut
    const mp = multipartFile(await pdf.save(), `one-page-${i}.pdf`);
    const started = performance.now();
    const res = await admin.request({ method: 'POST', url: `/api/meetings/${meetingId}/documents`, ...mp });
    ms.push(performance.now() - started);
    if (res.statusCode !== 201) throw new Error(`upload ${i}: ${res.statusCode} ${res.body}`);
  }
  const sorted = [...ms].sort((a, b) => a - b);
  console.log(JSON.stringify({ uploadsMs: ms.map((m) => Math.round(m)), medianMs: Math.round(sorted[Math.floor(n / 2)]!) }));
} finally {
  await t.close();
}
