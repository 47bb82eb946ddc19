// Builds raw PDF files object by object (with a correct xref), for hostile-input tests that
// pdf-lib would refuse to write.
import zlib from 'node:zlib';

export function rawPdf(objects: (string | Buffer)[], rootRef = '1 0 R'): Buffer {
  const parts: Buffer[] = [Buffer.from('%PDF-1.7\n%\xe2\xe3\xcf\xd3\n', 'latin1')];
  const offsets: number[] = [];
  let pos = parts[0]!.length;
  objects.forEach((body, i) => {
    offsets.push(pos);
    const b = Buffer.concat([
      Buffer.from(`${i + 1} 0 obj\n`),
      Buffer.isBuffer(body) ? body : Buffer.from(body, 'latin1'),
      Buffer.from('\nendobj\n'),
    ]);
    parts.push(b);
    pos += b.length;
  });
  const xref = [
    `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`,
    ...offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`),
  ].join('');
  parts.push(Buffer.from(`${xref}trailer\n<< /Size ${objects.length + 1} /Root ${rootRef} >>\nstartxref\n${pos}\n%%EOF\n`));
  return Buffer.concat(parts);
}

const page = (contents: string) => `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] ${contents} >>`;

export const hostilePdfs = {
  /** /Count claims a hundred million pages */
  hugePageCount: () =>
    rawPdf(['<< /Type /Catalog /Pages 2 0 R >>', '<< /Type /Pages /Kids [3 0 R] /Count 100000000 >>', page('')]),
  /** an OpenAction running JavaScript and a Launch action: a valid PDF the viewer must never execute */
  withJavaScript: () =>
    rawPdf([
      '<< /Type /Catalog /Pages 2 0 R /OpenAction 4 0 R /AA << /WC 5 0 R >> >>',
      '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
      page(''),
      '<< /S /JavaScript /JS (app.alert\\("pwned"\\);) >>',
      '<< /S /Launch /F (cmd.exe) >>',
    ]),
  /** 50,000 nested arrays: recursion bombs a naive parser */
  deepNesting: () =>
    rawPdf([
      `<< /Type /Catalog /Pages 2 0 R /Junk ${'['.repeat(50_000)}${']'.repeat(50_000)} >>`,
      '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
      page(''),
    ]),
  /** a content stream of 1 MB that inflates to 1 GiB of zeros */
  inflateBomb: () => {
    const chunk = zlib.deflateSync(Buffer.alloc(64 * 1024 * 1024), { level: 9 });
    const body = Buffer.concat([
      Buffer.from(`<< /Length ${chunk.length * 16} /Filter /FlateDecode >>\nstream\n`),
      ...Array(16).fill(chunk),
      Buffer.from('\nendstream'),
    ]);
    return rawPdf([
      '<< /Type /Catalog /Pages 2 0 R >>',
      '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
      page('/Contents 4 0 R'),
      body,
    ]);
  },
  /** a page tree whose kids point at each other */
  cyclicPages: () => rawPdf(['<< /Type /Catalog /Pages 2 0 R >>', '<< /Type /Pages /Kids [2 0 R] /Count 1 >>']),
};

export const zipBytes = () => Buffer.from('504b0304140000000800000021000000000000000000000000000000', 'hex');
