// The PDF's own links over a page: a link to a place in the document turns to its page; a web or
// mail link opens in a new tab with noopener/noreferrer (the document cannot reach back into the
// app); any other scheme (javascript:, file:) is not a link at all.
import { useEffect, useState } from 'react';
import type { PDFDocumentProxy, PDFPageProxy, PageViewport } from 'pdfjs-dist';
import { useTranslation } from 'react-i18next';
import { destinationPage, safeExternalUrl } from './destinations';

interface PageLink {
  key: string;
  rect: number[];
  url: string | null;
  dest: unknown;
}

export function LinkLayer(props: {
  doc: PDFDocumentProxy;
  page: PDFPageProxy;
  viewport: PageViewport;
  onGoTo: (page: number) => void;
}) {
  const { t } = useTranslation();
  const { doc, page, viewport, onGoTo } = props;
  const [links, setLinks] = useState<PageLink[]>([]);

  useEffect(() => {
    let live = true;
    page.getAnnotations({ intent: 'display' }).then(
      (annots: Array<Record<string, unknown>>) => {
        if (!live) return;
        const out: PageLink[] = [];
        for (const a of annots) {
          if (a.subtype !== 'Link' || !Array.isArray(a.rect)) continue;
          const url = safeExternalUrl(a.url);
          const dest = a.dest ?? null;
          if (url || dest) out.push({ key: String(a.id ?? out.length), rect: a.rect as number[], url, dest });
        }
        setLinks(out);
      },
      () => {
        if (live) setLinks([]);
      },
    );
    return () => {
      live = false;
    };
  }, [page]);

  if (links.length === 0) return null;
  return (
    <div className="link-layer">
      {links.map((l) => {
        const [x1, y1, x2, y2] = viewport.convertToViewportRectangle(l.rect as [number, number, number, number]) as number[];
        const style = {
          left: Math.min(x1!, x2!),
          top: Math.min(y1!, y2!),
          width: Math.abs(x2! - x1!),
          height: Math.abs(y2! - y1!),
        };
        return l.url ? (
          <a
            key={l.key}
            className="link-layer__link"
            style={style}
            href={l.url}
            target="_blank"
            rel="noopener noreferrer"
            title={l.url}
            aria-label={t('viewer.externalLink', { url: l.url })}
            data-link="external"
          />
        ) : (
          <a
            key={l.key}
            className="link-layer__link"
            style={style}
            href="#"
            data-link="internal"
            aria-label={t('viewer.internalLink')}
            onClick={(e) => {
              e.preventDefault();
              void destinationPage(doc, l.dest).then((n) => {
                if (n) onGoTo(n);
              });
            }}
          />
        );
      })}
    </div>
  );
}
