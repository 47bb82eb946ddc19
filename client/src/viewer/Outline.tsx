// The PDF's outline (bookmarks) as a nested list; choosing an entry turns to its page.
import { useState } from 'react';
import type { PDFDocumentProxy } from 'pdfjs-dist';
import { useTranslation } from 'react-i18next';
import { destinationPage, safeExternalUrl } from './destinations';

export interface OutlineNode {
  title: string;
  dest: unknown;
  url: string | null;
  items: OutlineNode[];
}

/** pdf.js's outline, reduced to what the list shows. */
export async function loadOutline(doc: PDFDocumentProxy): Promise<OutlineNode[]> {
  type Raw = { title: string; dest: unknown; url: string | null; items: Raw[] };
  const conv = (items: Raw[]): OutlineNode[] =>
    items.map((o) => ({ title: o.title, dest: o.dest, url: safeExternalUrl(o.url), items: conv(o.items ?? []) }));
  const raw = (await doc.getOutline().catch(() => null)) as Raw[] | null;
  return raw ? conv(raw) : [];
}

export function Outline(props: { doc: PDFDocumentProxy; items: OutlineNode[]; onGoTo: (page: number) => void }) {
  const { t } = useTranslation();
  if (props.items.length === 0) return <p className="outline__empty muted">{t('viewer.outlineEmpty')}</p>;
  return <OutlineList {...props} depth={0} />;
}

function OutlineList(props: { doc: PDFDocumentProxy; items: OutlineNode[]; onGoTo: (page: number) => void; depth: number }) {
  return (
    <ul className="outline__list">
      {props.items.map((o, i) => (
        <OutlineEntry key={i} {...props} node={o} />
      ))}
    </ul>
  );
}

function OutlineEntry(props: { doc: PDFDocumentProxy; node: OutlineNode; onGoTo: (page: number) => void; depth: number }) {
  const { node } = props;
  const [open, setOpen] = useState(props.depth === 0);
  const hasChildren = node.items.length > 0;
  return (
    <li>
      <div className="outline__row">
        {hasChildren ? (
          <button
            type="button"
            className="outline__twisty"
            aria-expanded={open}
            aria-label={node.title}
            onClick={() => setOpen((o) => !o)}
          >
            <span aria-hidden>{open ? '▾' : '▸'}</span>
          </button>
        ) : (
          <span className="outline__twisty" aria-hidden />
        )}
        {node.url ? (
          <a className="outline__entry" href={node.url} target="_blank" rel="noopener noreferrer">
            {node.title}
          </a>
        ) : (
          <button
            type="button"
            className="outline__entry"
            data-testid="outline-entry"
            onClick={() => {
              void destinationPage(props.doc, node.dest).then((n) => {
                if (n) props.onGoTo(n);
              });
            }}
          >
            {node.title}
          </button>
        )}
      </div>
      {hasChildren && open && <OutlineList doc={props.doc} items={node.items} onGoTo={props.onGoTo} depth={props.depth + 1} />}
    </li>
  );
}
