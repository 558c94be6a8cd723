// A PDF drawn by pdf.js in a worker of its own (no browser plugin needed, headless included): one page at a time
// on a canvas, with previous/next, zoom and fit width, and a download of the PDF's own bytes. Only the page's
// appearance is drawn: no annotation or form layer (links are pixels, they go nowhere) and no scripting (pdf.js
// runs a PDF's JavaScript only in its viewer's sandbox, which is never loaded here; v6 has no eval path either).
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { AnnotationMode, getDocument, PDFWorker, type PDFDocumentProxy } from 'pdfjs-dist';
import workerUrl from 'pdfjs-dist/build/pdf.worker.min.mjs?url';
import { ChevronLeft, ChevronRight, Download, MoveHorizontal, ZoomIn, ZoomOut } from 'lucide-react';
import { DocumentError, DocumentLoading } from './useDocument';

const MIN_SCALE = 0.25;
const MAX_SCALE = 6;

type Loaded = { status: 'loading' } | { status: 'ready'; pdf: PDFDocumentProxy } | { status: 'error'; message: string };

/** Saves bytes as a file (a Blob URL and a download link; nothing leaves the browser). */
function download(bytes: Uint8Array, fileName: string): void {
  const url = URL.createObjectURL(new Blob([bytes as Uint8Array<ArrayBuffer>], { type: 'application/pdf' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export function PdfDocument({ bytes, fileName }: { bytes: Uint8Array; fileName: string }) {
  const { t, i18n } = useTranslation('documents');
  const [loaded, setLoaded] = useState<Loaded>({ status: 'loading' });
  const [page, setPage] = useState(1);
  /** undefined: fit the page to the viewport's width. */
  const [scale, setScale] = useState<number>();
  const [shownScale, setShownScale] = useState(1);
  const [renderError, setRenderError] = useState<string>();
  const [width, setWidth] = useState(0);
  const scrollRef = useRef<HTMLDivElement>(null);
  const canvasRef = useRef<HTMLCanvasElement>(null);

  useEffect(() => {
    const worker = PDFWorker.create({ port: new Worker(workerUrl, { type: 'module' }) });
    // pdf.js hands the buffer it is given to its worker: a copy keeps these bytes for the download.
    const task = getDocument({ data: bytes.slice(), worker, enableXfa: false, stopAtErrors: true });
    let current = true;
    setLoaded({ status: 'loading' });
    setPage(1);
    task.promise.then(
      (pdf) => current && setLoaded({ status: 'ready', pdf }),
      (e: unknown) => current && setLoaded({ status: 'error', message: t('readFailed', { reason: e instanceof Error ? e.message : String(e) }) }),
    );
    return () => {
      current = false;
      void task.destroy().finally(() => worker.destroy());
    };
  }, [bytes, t]);

  useEffect(() => {
    const el = scrollRef.current;
    if (!el) return;
    const observer = new ResizeObserver(() => setWidth(el.clientWidth));
    observer.observe(el);
    return () => observer.disconnect();
  }, [loaded.status]);

  const pdf = loaded.status === 'ready' ? loaded.pdf : undefined;
  useEffect(() => {
    const canvas = canvasRef.current;
    if (!pdf || !canvas || width === 0) return;
    let cancelled = false;
    let render: { cancel(): void; promise: Promise<void> } | undefined;
    void pdf.getPage(page).then((p) => {
      if (cancelled) return;
      const natural = p.getViewport({ scale: 1 });
      const s = scale ?? Math.max(MIN_SCALE, Math.min(MAX_SCALE, (width - 16) / natural.width));
      setShownScale(s);
      const ratio = window.devicePixelRatio || 1;
      const viewport = p.getViewport({ scale: s * ratio });
      canvas.width = Math.floor(viewport.width);
      canvas.height = Math.floor(viewport.height);
      canvas.style.width = `${Math.floor(viewport.width / ratio)}px`;
      canvas.style.height = `${Math.floor(viewport.height / ratio)}px`;
      render = p.render({ canvas, viewport, annotationMode: AnnotationMode.ENABLE });
      render.promise.then(
        () => !cancelled && setRenderError(undefined),
        (e: unknown) => {
          if (!cancelled && !(e instanceof Error && e.name === 'RenderingCancelledException')) setRenderError(e instanceof Error ? e.message : String(e));
        },
      );
    }, (e: unknown) => !cancelled && setRenderError(e instanceof Error ? e.message : String(e)));
    return () => {
      cancelled = true;
      render?.cancel();
    };
  }, [pdf, page, scale, width]);

  if (loaded.status === 'loading') return <DocumentLoading />;
  if (loaded.status === 'error') return <DocumentError message={loaded.message} />;
  const count = loaded.pdf.numPages;
  const zoomBy = (f: number) => setScale(Math.max(MIN_SCALE, Math.min(MAX_SCALE, shownScale * f)));
  const percent = new Intl.NumberFormat(i18n.language, { style: 'percent', maximumFractionDigits: 0 }).format(shownScale);
  return (
    <div className="doc-view pdf-view" data-testid="pdf-view" data-page={page} data-pages={count}>
      <div className="doc-toolbar" role="toolbar">
        <button type="button" data-testid="pdf-previous" title={t('pdf.previous')} aria-label={t('pdf.previous')} disabled={page <= 1} onClick={() => setPage(page - 1)}>
          <ChevronLeft size={16} aria-hidden="true" className="flip-rtl" />
        </button>
        <span data-testid="pdf-page">{t('pdf.page', { page, count })}</span>
        <button type="button" data-testid="pdf-next" title={t('pdf.next')} aria-label={t('pdf.next')} disabled={page >= count} onClick={() => setPage(page + 1)}>
          <ChevronRight size={16} aria-hidden="true" className="flip-rtl" />
        </button>
        <span className="toolbar-gap" />
        <button type="button" data-testid="pdf-zoom-out" title={t('pdf.zoomOut')} aria-label={t('pdf.zoomOut')} onClick={() => zoomBy(0.8)}>
          <ZoomOut size={16} aria-hidden="true" />
        </button>
        <span data-testid="pdf-zoom">{t('pdf.zoom', { percent })}</span>
        <button type="button" data-testid="pdf-zoom-in" title={t('pdf.zoomIn')} aria-label={t('pdf.zoomIn')} onClick={() => zoomBy(1.25)}>
          <ZoomIn size={16} aria-hidden="true" />
        </button>
        <button type="button" data-testid="pdf-fit-width" title={t('pdf.fitWidth')} aria-label={t('pdf.fitWidth')} aria-pressed={scale === undefined} onClick={() => setScale(undefined)}>
          <MoveHorizontal size={16} aria-hidden="true" />
        </button>
        <span className="toolbar-gap" />
        <button type="button" data-testid="pdf-download" onClick={() => download(bytes, fileName)}>
          <Download size={16} aria-hidden="true" /> {t('pdf.download')}
        </button>
      </div>
      {renderError && <DocumentError message={t('readFailed', { reason: renderError })} />}
      <div className="pdf-scroll" ref={scrollRef}>
        <canvas ref={canvasRef} className="pdf-page" data-testid="pdf-canvas" />
      </div>
    </div>
  );
}
