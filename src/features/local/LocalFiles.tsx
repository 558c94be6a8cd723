import { useEffect, useRef, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { LOCAL_SOURCE_NAME } from '../../local/localSource';
import { useLocalFilesStore, type LocalItem, type SkippedLocalFile } from '../../store/localFiles';
import { filesUnder, type DroppedFiles } from './dropped';
import { useWorklistStore } from '../../store/worklist';
import { Modal } from '../common/Modal';
import { navigate, useLocation } from '../app/router';

/** Opens items locally, then shows them in the worklist's "Local files" source, with what could not be read. */
async function openLocally(items: LocalItem[], unreadable: SkippedLocalFile[] = []): Promise<void> {
  if (items.length === 0 && unreadable.length === 0) return;
  const { pathname } = window.location;
  // Leaving the viewer can be refused (unsaved measurements): then nothing is opened.
  if (pathname !== '/' && !navigate('/')) return;
  const opening = useLocalFilesStore.getState().open(items, unreadable);
  // Show the list at once; it fills in while the files are read.
  await Promise.resolve();
  useWorklistStore.getState().setDataSource(LOCAL_SOURCE_NAME);
  await opening;
}

const itemsOf = (files: FileList | File[] | null): LocalItem[] =>
  [...(files ?? [])].map((f) => ({ path: f.webkitRelativePath || f.name, blob: f }));

/** "Open files" and "Open folder" buttons, reading progress and what was skipped (worklist header). */
export function LocalFilesButtons() {
  const filesInput = useRef<HTMLInputElement>(null);
  const folderInput = useRef<HTMLInputElement>(null);
  const { t } = useTranslation('worklist');
  useEffect(() => {
    // Not in React's attribute list: folder picking (every engine supports it under this name).
    folderInput.current?.setAttribute('webkitdirectory', '');
  }, []);
  return (
    <span className="local-files">
      <button type="button" data-testid="open-files" onClick={() => filesInput.current?.click()} title={t('local.openFilesTitle')}>
        {t('local.openFiles')}
      </button>
      <button type="button" data-testid="open-folder" onClick={() => folderInput.current?.click()} title={t('local.openFolderTitle')}>
        {t('local.openFolder')}
      </button>
      <input ref={filesInput} type="file" multiple hidden data-testid="files-input" onChange={(e) => { void openLocally(itemsOf(e.target.files)); e.target.value = ''; }} />
      <input ref={folderInput} type="file" multiple hidden data-testid="folder-input" onChange={(e) => { void openLocally(itemsOf(e.target.files)); e.target.value = ''; }} />
    </span>
  );
}

/** Why a file was skipped (store/localFiles.ts), as `local.why.<why>` says it. */
const WHY = ['not-dicom', 'unreadable', 'duplicate', 'too-large'];

/** The last reading's progress and result, under the worklist header. */
export function LocalFilesStatus() {
  const s = useLocalFilesStore();
  const [details, setDetails] = useState(false);
  const { t } = useTranslation('worklist');
  if (s.status === 'idle') return null;
  const why = (w: string) => (WHY.includes(w) ? t(`local.why.${w}`) : w);
  const byWhy = new Map<string, number>();
  for (const k of s.skipped) byWhy.set(k.why, (byWhy.get(k.why) ?? 0) + 1);
  const skipped = [...byWhy].map(([w, n]) => `${n} ${why(w)}`).join(t('local.listSeparator'));
  const problems = s.skipped.length + s.warnings.length + s.dicomdirMissing.length > 0;
  return (
    <div className="local-status" data-testid="local-status" aria-live="polite">
      {s.status === 'reading' ? (
        <>
          <span>
            {t('local.reading', { read: s.read, total: s.total, count: s.added })}
          </span>
          <div className="progress" role="progressbar" aria-valuemin={0} aria-valuemax={s.total} aria-valuenow={s.read}>
            <div className="progress-bar" style={{ width: `${(100 * s.read) / Math.max(1, s.total)}%` }} />
          </div>
        </>
      ) : (
        <span data-testid="local-summary">
          {t('local.opened', { count: s.added, files: t('local.files', { count: s.total }) })}
          {s.skipped.length > 0 && t('local.skipped', { skipped })}
          {s.dicomdirListed > 0 && (s.dicomdirMissing.length ? t('local.dicomdirMissing', { count: s.dicomdirMissing.length }) : t('local.dicomdirComplete'))}
          {t('local.end')}
        </span>
      )}
      {problems && s.status === 'done' && (
        <button type="button" className="link" data-testid="local-details" onClick={() => setDetails(true)}>
          {t('local.details')}
        </button>
      )}
      {s.status === 'done' && (
        <button type="button" className="link" data-testid="local-clear" onClick={() => s.clear()} title={t('local.closeTitle')}>
          {t('local.close')}
        </button>
      )}
      {details && (
        <Modal title={t('local.title')} onClose={() => setDetails(false)} className="local-details" testId="local-details-dialog">
          <div className="local-details-body">
            {s.skipped.length > 0 && (
              <Section title={t('local.skippedTitle', { count: s.skipped.length })}>
                {s.skipped.map((k) => (
                  <li key={k.path}>
                    <code dir="ltr">{k.path}</code>: {why(k.why)}, {k.reason}
                  </li>
                ))}
              </Section>
            )}
            {s.warnings.length > 0 && (
              <Section title={t('local.problemTitle', { count: s.warnings.length })}>
                {s.warnings.map((w, i) => (
                  <li key={i}>
                    <code dir="ltr">{w.path}</code>: {w.message}
                  </li>
                ))}
              </Section>
            )}
            {s.dicomdirMissing.length > 0 && (
              <Section title={t('local.missingTitle', { count: s.dicomdirMissing.length })}>
                {s.dicomdirMissing.map((p) => (
                  <li key={p}>
                    <code dir="ltr">{p}</code>
                  </li>
                ))}
              </Section>
            )}
          </div>
        </Modal>
      )}
    </div>
  );
}

function Section({ title, children }: { title: string; children: ReactNode }) {
  return (
    <section>
      <h3>{title}</h3>
      <ul>{children}</ul>
    </section>
  );
}

function droppedItems(data: DataTransfer): Promise<DroppedFiles> {
  // Synchronously, in the drop event: a DataTransfer's items cannot be read afterwards.
  const dropped = [...data.items].filter((i) => i.kind === 'file');
  const entries = dropped.map((i) => i.webkitGetAsEntry());
  if (!entries.some((e) => e)) return Promise.resolve({ items: itemsOf(data.files), unreadable: [] });
  // Items without an entry (files some applications drag out of themselves) come as plain files.
  const loose = itemsOf(dropped.filter((_, k) => !entries[k]).map((i) => i.getAsFile()).filter((f): f is File => f !== null));
  return filesUnder(entries.filter((e): e is FileSystemEntry => !!e)).then((d) => ({ ...d, items: [...d.items, ...loose] }));
}

/** Dropping files, folders or zips anywhere on the app opens them locally. */
export function DropZone() {
  const [over, setOver] = useState(false);
  const { pathname } = useLocation();
  const { t } = useTranslation('worklist');
  useEffect(() => {
    const hasFiles = (e: DragEvent) => [...(e.dataTransfer?.types ?? [])].includes('Files');
    const onOver = (e: DragEvent) => {
      if (!hasFiles(e)) return;
      e.preventDefault();
      if (e.dataTransfer) e.dataTransfer.dropEffect = 'copy';
      setOver(true);
    };
    const onLeave = (e: DragEvent) => {
      if (e.relatedTarget === null) setOver(false);
    };
    const onDrop = (e: DragEvent) => {
      if (!hasFiles(e) || !e.dataTransfer) return;
      e.preventDefault();
      setOver(false);
      void droppedItems(e.dataTransfer).then(({ items, unreadable }) => openLocally(items, unreadable));
    };
    window.addEventListener('dragover', onOver);
    window.addEventListener('dragleave', onLeave);
    window.addEventListener('drop', onDrop);
    return () => {
      window.removeEventListener('dragover', onOver);
      window.removeEventListener('dragleave', onLeave);
      window.removeEventListener('drop', onDrop);
    };
  }, [pathname]);
  if (!over) return null;
  return (
    <div className="drop-zone" data-testid="drop-zone">
      <p>{t('local.drop')}</p>
    </div>
  );
}
