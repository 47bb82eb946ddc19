// The Content-Disposition header of downloads: the Vietnamese name for modern clients, the name
// without diacritics for old ones, quotes and control characters never breaking the header.
import { parse } from 'content-disposition';
import { describe, expect, it } from 'vitest';
import { asciiFallback, dispositionHeader } from '../../server/routes/disposition';

describe('dispositionHeader', () => {
  it('keeps a Vietnamese name in filename* and folds it for the plain filename', () => {
    const h = dispositionHeader('attachment', 'Biên bản họp Đảng ủy.pdf');
    expect(h).toBe(
      `attachment; filename="Bien ban hop Dang uy.pdf"; filename*=UTF-8''Bi%C3%AAn%20b%E1%BA%A3n%20h%E1%BB%8Dp%20%C4%90%E1%BA%A3ng%20%E1%BB%A7y.pdf`,
    );
    expect(parse(h).parameters.filename).toBe('Biên bản họp Đảng ủy.pdf');
  });

  it('an ASCII name is sent once, quoted', () => {
    expect(dispositionHeader('inline', 'report "v2".pdf')).toBe('inline; filename="report \\"v2\\".pdf"');
    expect(parse(dispositionHeader('inline', 'report "v2".pdf')).parameters.filename).toBe('report "v2".pdf');
  });

  it('characters with no ASCII letter become an underscore in the fallback', () => {
    expect(asciiFallback('Kế hoạch — 2027 ✓.pdf')).toBe('Ke hoach _ 2027 _.pdf');
  });
});
