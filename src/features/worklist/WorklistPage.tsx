import { Fragment, useEffect, useState, type FormEvent, type MouseEvent, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { defaultDataSourceOf } from '../../config/schema';
import { wildcardSuggestion, type StudyQuery, type WildcardSuggestion } from '../../dicomweb/qido';
import { formatPersonName, toDicomDate } from '../../model/format';
import type { StudySortKey } from '../../model/studySort';
import type { StudySummary } from '../../model/types';
import { useConfigStore } from '../../store/config';
import { useLocalFilesStore } from '../../store/localFiles';
import { LOCAL_SOURCE_NAME } from '../../local/localSource';
import { LocalFilesButtons, LocalFilesStatus } from '../local/LocalFiles';
import { sortedRows, useWorklistStore } from '../../store/worklist';
import { navigate, viewerLink } from '../app/router';
import { Deferred } from '../common/Deferred';
// Export and send carry dcmjs and the de-identification tables: loaded when first asked for.
import { ExportDialog } from '../transfer/lazyExportDialog';
import { AutoConnectionCheck, ConnectionCheck } from './ConnectionCheck';
import { AccountMenu, useAllowed } from '../app/Account';
import { LanguageMenu } from '../common/LanguageMenu';
import { useFormat } from '../common/useFormat';
import { ErrorText } from '../common/ErrorText';

const MODALITIES = ['CT', 'MR', 'CR', 'DX', 'MG', 'US', 'NM', 'PT', 'XA', 'RF', 'OT', 'SC', 'SR'];

/** The columns, each headed by `column.<key>` of the worklist namespace. */
const COLUMNS: StudySortKey[] = ['patientName', 'patientId', 'studyDate', 'modalities', 'description', 'accessionNumber', 'numInstances'];

interface FormState {
  quick: string;
  patientName: string;
  patientId: string;
  dateFrom: string;
  dateTo: string;
  modality: string;
  accessionNumber: string;
  description: string;
}

const EMPTY_FORM: FormState = {
  quick: '',
  patientName: '',
  patientId: '',
  dateFrom: '',
  dateTo: '',
  modality: '',
  accessionNumber: '',
  description: '',
};

function toQuery(f: FormState): StudyQuery {
  return {
    quick: f.quick,
    patientName: f.patientName,
    patientId: f.patientId,
    studyDateFrom: f.dateFrom ? toDicomDate(f.dateFrom) : undefined,
    studyDateTo: f.dateTo ? toDicomDate(f.dateTo) : undefined,
    modality: f.modality,
    accessionNumber: f.accessionNumber,
    description: f.description,
  };
}

const isoDay = (d: Date) => d.toISOString().slice(0, 10);

/**
 * A link's own click: a plain one stays in the app (the row's handler opens the viewer, through the leave guard);
 * with a modifier it is the browser's (new tab or window), and the row does nothing. Middle clicks never reach here.
 */
function inAppClick(e: MouseEvent<HTMLAnchorElement>) {
  if (e.button !== 0 || e.ctrlKey || e.metaKey || e.shiftKey || e.altKey) e.stopPropagation();
  else e.preventDefault();
}

/** What a cell of a study row holds: a real link (new tab, middle click, copy link) where the study has an address. */
function RowLink({ href, focusable, onOpen, children }: { href: string | undefined; focusable: boolean; onOpen: () => void; children: ReactNode }) {
  if (href === undefined) {
    // Local files: the row's click opens them; the first cell is a button for the keyboard.
    return focusable ? (
      <button
        type="button"
        className="row-link"
        onClick={(e) => {
          e.stopPropagation();
          onOpen();
        }}
      >
        {children}
      </button>
    ) : (
      <>{children}</>
    );
  }
  // An empty cell (no accession number…) holds no link: a link must say where it goes. The row's click still opens.
  const empty = [children].flat().every((c) => c === undefined || c === null || c === false || (typeof c === 'string' && !c.trim()));
  if (empty && !focusable) return null;
  // One tab stop per row (the first cell); the others are links for the mouse.
  return (
    <a href={href} className="row-link" tabIndex={focusable ? undefined : -1} onClick={inAppClick} aria-label={empty ? 'Open the study' : undefined}>
      {children}
    </a>
  );
}

/** A series of an expanded study: a link like the rows (a button for local files, which no other tab can open). */
function SeriesLink({ href, onOpen, children }: { href: string | undefined; onOpen: () => void; children: ReactNode }) {
  if (href === undefined) {
    return (
      <button type="button" className="link" onClick={onOpen}>
        {children}
      </button>
    );
  }
  return (
    <a
      href={href}
      className="link series-link"
      onClick={(e) => {
        inAppClick(e);
        if (e.defaultPrevented) onOpen();
      }}
    >
      {children}
    </a>
  );
}

export function WorklistPage() {
  const config = useConfigStore((s) => s.config)!;
  const { t } = useTranslation('worklist');
  const format = useFormat();
  const state = useWorklistStore();
  const [form, setForm] = useState<FormState>(EMPTY_FORM);
  const [checking, setChecking] = useState(false);
  // Studies ticked for export or sending (by UID; a new search or source keeps only those still listed).
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const [exporting, setExporting] = useState(false);
  const mayExport = useAllowed('export');
  const mayUpload = useAllowed('upload');
  const dataSource = state.dataSource || defaultDataSourceOf(config).name;
  const pageSize = config.worklistPageSize;

  // Local files fill the list in while they are read.
  const localRevision = useLocalFilesStore((s) => s.revision);
  useEffect(() => {
    if (useWorklistStore.getState().dataSource === LOCAL_SOURCE_NAME) void useWorklistStore.getState().search(0);
  }, [localRevision]);

  useEffect(() => {
    if (!useWorklistStore.getState().dataSource) useWorklistStore.getState().setDataSource(defaultDataSourceOf(config).name);
  }, [config]);

  const submit = (e?: FormEvent) => {
    e?.preventDefault();
    state.setFilters(toQuery(form));
    void state.search(0);
  };
  const field = (key: keyof FormState) => ({
    value: form[key],
    onChange: (e: { target: { value: string } }) => setForm({ ...form, [key]: e.target.value }),
  });
  const linkTo = (study: StudySummary, seriesUID?: string) =>
    viewerLink([study.studyInstanceUID], {
      seriesUID,
      dataSource,
      isDefaultSource: dataSource === defaultDataSourceOf(config).name,
    });
  const open = (study: StudySummary, seriesUID?: string) => navigate(linkTo(study, seriesUID));
  // Local files live in this page only: another tab could not open them, so their rows are no links.
  const hrefOf = (study: StudySummary, seriesUID?: string) => (dataSource === LOCAL_SOURCE_NAME ? undefined : linkTo(study, seriesUID));
  const caps = config.dataSources.find((d) => d.name === dataSource);
  const suggestion = state.status === 'ready' && caps ? wildcardSuggestion(state.filters, caps) : undefined;
  const trySuggestion = (sug: WildcardSuggestion) => {
    const next = { ...form, [sug.field]: sug.value };
    setForm(next);
    state.setFilters(toQuery(next));
    void state.search(0);
  };

  const rows = sortedRows(state);
  const ticked = rows.filter((r) => selected.has(r.studyInstanceUID)).map((r) => r.studyInstanceUID);
  const toggle = (uid: string) =>
    setSelected((s) => {
      const next = new Set(s);
      if (next.has(uid)) next.delete(uid);
      else next.add(uid);
      return next;
    });
  const first = state.page * pageSize + 1;
  const last = state.page * pageSize + rows.length;

  return (
    <div className="worklist">
      {checking && <ConnectionCheck dataSource={dataSource} onClose={() => setChecking(false)} />}
      {exporting && (
        <Deferred what={t('theExportDialog')} onClose={() => setExporting(false)}>
          <ExportDialog selection={{ dataSource, studyInstanceUIDs: ticked }} onClose={() => setExporting(false)} />
        </Deferred>
      )}
      <header className="app-header">
        <h1 className="brand">Lumen</h1>
        <span className="subtitle">{t('title')}</span>
        <LocalFilesButtons />
        <button type="button" className="check-button" data-testid="check-connection" onClick={() => setChecking(true)}>
          {t('checkConnection')}
        </button>
        {config.dataSources.length > 1 && (
          <label className="datasource">
            {t('dataSource')}{' '}
            <select
              data-testid="datasource-select"
              value={dataSource}
              onChange={(e) => state.setDataSource(e.target.value)}
            >
              {config.dataSources.map((ds) => (
                <option key={ds.name} value={ds.name}>
                  {ds.label ?? ds.name}
                </option>
              ))}
            </select>
          </label>
        )}
        <LanguageMenu />
        <AccountMenu />
      </header>
      <LocalFilesStatus />

      <main className="worklist-main">
      <form className="filters" onSubmit={submit} aria-label={t('searchStudies')} data-testid="worklist-filters">
        <div className="field quick-field">
          <label>
            {t('quickSearch')}
            <input name="quick" type="search" autoComplete="off" aria-describedby="quick-hint" {...field('quick')} />
          </label>
          <small id="quick-hint" className="hint">
            {t('quickHint')}
          </small>
        </div>
        <div className="field">
          <label>
            {t('column.patientName')}
            <input name="patientName" placeholder={t('nameExample')} autoComplete="off" aria-describedby="name-hint" {...field('patientName')} />
          </label>
          <small id="name-hint" className="hint">
            {t('nameHint')}
          </small>
        </div>
        <label>
          {t('column.patientId')}
          <input name="patientId" autoComplete="off" {...field('patientId')} />
        </label>
        <label>
          {t('dateFrom')}
          <input name="dateFrom" type="date" {...field('dateFrom')} />
        </label>
        <label>
          {t('dateTo')}
          <input name="dateTo" type="date" {...field('dateTo')} />
        </label>
        <label>
          {t('column.modalities')}
          <select name="modality" {...field('modality')}>
            <option value="">{t('anyModality')}</option>
            {MODALITIES.map((m) => (
              <option key={m} value={m}>
                {m}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('column.accessionNumber')}
          <input name="accessionNumber" autoComplete="off" {...field('accessionNumber')} />
        </label>
        <label>
          {t('column.description')}
          <input name="description" autoComplete="off" {...field('description')} />
        </label>
        <div className="filter-actions">
          <button type="submit" className="primary">
            {t('search')}
          </button>
          <button
            type="button"
            onClick={() => {
              const today = isoDay(new Date());
              setForm({ ...form, dateFrom: today, dateTo: today });
            }}
          >
            {t('today')}
          </button>
          <button
            type="button"
            onClick={() => {
              const from = new Date();
              from.setDate(from.getDate() - 7);
              setForm({ ...form, dateFrom: isoDay(from), dateTo: isoDay(new Date()) });
            }}
          >
            {t('last7Days')}
          </button>
          <button
            type="button"
            onClick={() => {
              setForm(EMPTY_FORM);
              state.setFilters({});
              void state.search(0);
            }}
          >
            {t('clear')}
          </button>
        </div>
      </form>

      <div className="results-bar" aria-live="polite">
        {state.status === 'loading' && <span data-testid="worklist-loading">{t('searching')}</span>}
        {state.status === 'ready' && rows.length > 0 && (
          <span data-testid="result-count">
            {state.total !== undefined
              ? t('resultCount', { first: format.number(first), last: format.number(last), total: format.number(state.total), count: state.total })
              : state.hasMore
                ? t('resultCountMore', { first: format.number(first), last: format.number(last), count: last })
                : t('resultCount', { first: format.number(first), last: format.number(last), total: format.number(last), count: last })}
          </span>
        )}
        {state.status === 'ready' && state.hasMore && !state.pageable && (
          <span data-testid="quick-more">{t('quickMore')}</span>
        )}
        <span className="spacer" />
        {ticked.length > 0 && (dataSource === LOCAL_SOURCE_NAME ? mayUpload || mayExport : mayExport) && (
          <button type="button" onClick={() => setExporting(true)} data-testid="export-selected">
            {t(dataSource === LOCAL_SOURCE_NAME ? 'uploadSelected' : 'exportSelected', { count: ticked.length })}
          </button>
        )}
        <button type="button" disabled={state.page === 0 || state.status === 'loading'} onClick={() => void state.search(state.page - 1)}>
          {t('previous')}
        </button>
        <button type="button" disabled={!state.hasMore || !state.pageable || state.status === 'loading'} onClick={() => void state.search(state.page + 1)}>
          {t('next')}
        </button>
      </div>

      {state.launched && (
        <p className="launched-note" data-testid="launched-note">
          {state.launched}
        </p>
      )}
      {state.status === 'error' && (
        <div className="error-banner" role="alert" data-testid="worklist-error">
          <ErrorText message={state.error ?? ''} />
          <AutoConnectionCheck dataSource={dataSource} onShowAll={() => setChecking(true)} />
        </div>
      )}
      {state.status === 'ready' && rows.length === 0 && (
        <div className="empty" data-testid="worklist-empty">
          {t('noStudies')}
          {suggestion && (
            <p data-testid="wildcard-suggestion">
              {t('tryBefore')}
              <button type="button" className="link" onClick={() => trySuggestion(suggestion)}>
                <bdi>{suggestion.value}</bdi>
              </button>
              {t('tryAfter', { because: t(`because.${suggestion.field}`, { defaultValue: suggestion.because }) })}
            </p>
          )}
        </div>
      )}

      {rows.length > 0 && (
        // The table scrolls in its own box (sideways on a phone), never the page.
        <div className="table-scroll">
        <table className="studies" data-testid="study-table">
          <thead>
            <tr>
              <th>
                <span className="visually-hidden">{t('selectAndSeries')}</span>
              </th>
              {COLUMNS.map((key) => (
                <th
                  key={key}
                  aria-sort={state.sortKey === key ? (state.sortDir === 'asc' ? 'ascending' : 'descending') : 'none'}
                >
                  <button type="button" className="sort" onClick={() => state.setSort(key)}>
                    {t(`column.${key}`)}
                    {state.sortKey === key ? (state.sortDir === 'asc' ? ' ▲' : ' ▼') : ''}
                  </button>
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {rows.map((study) => {
              const expanded = state.expanded[study.studyInstanceUID];
              const href = hrefOf(study);
              return (
                <Fragment key={study.studyInstanceUID}>
                  <tr className="study-row" data-testid="study-row" onClick={() => open(study)}>
                    <td className="row-tools">
                      <input
                        type="checkbox"
                        aria-label={t('selectForExport')}
                        data-testid="select-study"
                        checked={selected.has(study.studyInstanceUID)}
                        onClick={(e) => e.stopPropagation()}
                        onChange={() => toggle(study.studyInstanceUID)}
                      />
                      <button
                        type="button"
                        className="expand"
                        aria-expanded={!!expanded}
                        aria-label={expanded ? t('hideSeries') : t('showSeries')}
                        data-testid="expand-study"
                        onClick={(e) => {
                          e.stopPropagation();
                          void state.toggleExpanded(study.studyInstanceUID);
                        }}
                      >
                        {expanded ? '▾' : '▸'}
                      </button>
                    </td>
                    {/* Every cell links to the study; the first is the row's one tab stop. */}
                    <td data-col="patientName" dir="auto">
                      <RowLink href={href} onOpen={() => open(study)} focusable>
                        {formatPersonName(study.patientName)}
                      </RowLink>
                    </td>
                    <td data-col="patientId" dir="auto">
                      <RowLink href={href} onOpen={() => open(study)} focusable={false}>{study.patientId}</RowLink>
                    </td>
                    <td data-col="studyDate">
                      <RowLink href={href} onOpen={() => open(study)} focusable={false}>
                        {format.date(study.studyDate)} {format.time(study.studyTime)}
                      </RowLink>
                    </td>
                    <td data-col="modalities">
                      <RowLink href={href} onOpen={() => open(study)} focusable={false}>{study.modalities.join(', ')}</RowLink>
                    </td>
                    <td data-col="description" dir="auto">
                      <RowLink href={href} onOpen={() => open(study)} focusable={false}>{study.description}</RowLink>
                    </td>
                    <td data-col="accessionNumber" dir="auto">
                      <RowLink href={href} onOpen={() => open(study)} focusable={false}>{study.accessionNumber}</RowLink>
                    </td>
                    <td data-col="numInstances">
                      <RowLink href={href} onOpen={() => open(study)} focusable={false}>{study.numInstances !== undefined ? format.number(study.numInstances) : ''}</RowLink>
                    </td>
                  </tr>
                  {expanded && (
                    <tr className="series-row">
                      <td />
                      <td colSpan={COLUMNS.length}>
                        {expanded.status === 'loading' && <span>{t('loadingSeries')}</span>}
                        {expanded.status === 'error' && (
                          <span className="error-text" role="alert">
                            <ErrorText message={expanded.error ?? ''} />
                          </span>
                        )}
                        {expanded.status === 'ready' && (
                          <ul className="series-list" data-testid="series-list">
                            {expanded.series.map((s) => (
                              <li key={s.seriesInstanceUID}>
                                <SeriesLink href={hrefOf(study, s.seriesInstanceUID)} onOpen={() => open(study, s.seriesInstanceUID)}>
                                  <span className="modality-badge">{s.modality}</span>
                                  <span>
                                    {s.seriesNumber !== undefined ? `#${s.seriesNumber} ` : ''}
                                    <bdi>{s.description || t('common:noDescription')}</bdi>
                                  </span>
                                  <span className="muted">
                                    {s.numInstances !== undefined ? t('instances', { count: s.numInstances, n: format.number(s.numInstances) }) : t('instancesUnknown')}
                                  </span>
                                </SeriesLink>
                              </li>
                            ))}
                          </ul>
                        )}
                      </td>
                    </tr>
                  )}
                </Fragment>
              );
            })}
          </tbody>
        </table>
        </div>
      )}
      </main>
    </div>
  );
}
