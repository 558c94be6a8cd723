// The waveform viewer (ECG, hemodynamic, arterial pulse, respiratory…): a lazy chunk of its own, loaded when a
// waveform series is opened (ObjectViewport.tsx). Parsing is model/waveform.ts, the sheet model/ecg.ts.
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  annotationMarks,
  caliper as measureCaliper,
  DEFAULT_GAIN,
  DEFAULT_SPEED,
  GAINS,
  heartRate,
  layoutPaper,
  MAX_ROW_SECONDS,
  rateLead,
  SPEEDS,
  standardLeads,
  type EcgLayout,
} from '../../../model/ecg';
import { parseWaveform, WaveformError, type Waveform, type WaveformAnnotation } from '../../../model/waveform';
import type { DicomJson } from '../../../dicom/json';
import type { DisplaySet } from '../../../model/types';
import { useObjectFile } from '../useObjectFile';
import type { Caliper } from './drawPaper';
import { EcgPaper } from './EcgPaper';
import './waveform.css';

const ZOOMS = [0.5, 0.75, 1, 1.25, 1.5, 2, 3, 4];
const BIG_ENDIAN = '1.2.840.10008.1.2.2';

type Parsed = { status: 'loading' } | { status: 'ready'; waveform: Waveform } | { status: 'error'; message: string };

/** What ObjectViewport gives every viewer (ObjectViewProps; not imported from there, which would be a cycle). */
interface Props {
  displaySet: DisplaySet;
  dataSource: string;
}

export default function WaveformView({ displaySet, dataSource }: Props) {
  const { t, i18n } = useTranslation('waveform');
  const objects = displaySet.objects;
  const [objectIndex, setObjectIndex] = useState(0);
  const instance = objects[Math.min(objectIndex, objects.length - 1)];
  const file = useObjectFile(dataSource, displaySet.series.studyInstanceUID, displaySet.series.seriesInstanceUID, instance);
  const [parsed, setParsed] = useState<Parsed>({ status: 'loading' });

  useEffect(() => {
    if (file.status === 'loading') return setParsed({ status: 'loading' });
    if (file.status === 'error') return setParsed({ status: 'error', message: t('error.fetch', { error: file.error }) });
    let live = true;
    const bytes = file.bytes;
    // dcmjs is loaded with the first waveform, inside this chunk.
    import('../../../dicom/dcmjs')
      .then(({ dcmjs }) => {
        let read;
        try {
          const buffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
          read = dcmjs.data.DicomMessage.readFile(buffer);
        } catch (e) {
          throw new Error(t('error.file', { error: e instanceof Error ? e.message : String(e) }));
        }
        const bigEndian = read.meta['00020010']?.Value?.[0] === BIG_ENDIAN;
        return parseWaveform(read.dict as DicomJson, { bigEndian });
      })
      .then(
        (waveform) => live && setParsed({ status: 'ready', waveform }),
        (e: unknown) => {
          if (!live) return;
          const message =
            e instanceof WaveformError
              ? t(`error.${e.code}`, Object.fromEntries(Object.entries(e.params).map(([k, v]) => [k, typeof v === 'number' ? new Intl.NumberFormat(i18n.language).format(v) : v])))
              : e instanceof Error
                ? e.message
                : String(e);
          setParsed({ status: 'error', message });
        },
      );
    return () => {
      live = false;
    };
  }, [file, t, i18n.language]);

  if (parsed.status === 'loading') {
    return <div className="viewport-message">{t('loading')}</div>;
  }
  if (parsed.status === 'error') {
    return (
      <div className="viewport-message error" role="alert" data-testid="waveform-error">
        {parsed.message}
      </div>
    );
  }
  return (
    <WaveformSheet
      key={instance?.sopInstanceUID}
      waveform={parsed.waveform}
      language={i18n.language}
      objectCount={objects.length}
      objectIndex={objectIndex}
      onObject={setObjectIndex}
    />
  );
}

interface SheetProps {
  waveform: Waveform;
  language: string;
  objectCount: number;
  objectIndex: number;
  onObject: (i: number) => void;
}

function WaveformSheet({ waveform, language, objectCount, objectIndex, onObject }: SheetProps) {
  const { t } = useTranslation('waveform');
  const [groupIndex, setGroupIndex] = useState(0);
  const [layout, setLayout] = useState<EcgLayout>('standard');
  const [speed, setSpeed] = useState<number>(DEFAULT_SPEED);
  const [gain, setGain] = useState<number>(DEFAULT_GAIN);
  const [zoom, setZoom] = useState(1);
  const [start, setStart] = useState(0);
  const [caliper, setCaliper] = useState<Caliper | undefined>();
  const group = waveform.groups[groupIndex] ?? waveform.groups[0]!;
  const canStandard = useMemo(() => standardLeads(group) !== undefined, [group]);
  const timeWindow = group.duration > MAX_ROW_SECONDS ? { start, seconds: MAX_ROW_SECONDS } : undefined;
  const paper = useMemo(() => layoutPaper(group, layout, speed, gain, timeWindow), [group, layout, speed, gain, timeWindow?.start, timeWindow?.seconds]); // eslint-disable-line react-hooks/exhaustive-deps
  const rate = useMemo(() => {
    const lead = rateLead(group);
    const hr = lead ? heartRate(lead.values, group.samplingFrequency) : undefined;
    return hr && lead ? { ...hr, lead: lead.label } : undefined;
  }, [group]);
  const marks = useMemo(() => annotationMarks(waveform.annotations, group.index, group.samplingFrequency), [waveform, group]);
  const reading = caliper && (caliper.x0 !== caliper.x1 || caliper.y0 !== caliper.y1) ? measureCaliper(paper, caliper.x0, caliper.y0, caliper.x1, caliper.y1) : undefined;

  const fmt = (value: number, digits = 0) => new Intl.NumberFormat(language, { maximumFractionDigits: digits, minimumFractionDigits: digits }).format(value);
  // Whole numbers as they are, others to two decimals (a caliper's 1.00 mV); units are UCUM codes, not translated.
  const unitText = (value: number, unit: string) => `${fmt(value, Number.isInteger(value) ? 0 : 2)} ${unit}`.trim();
  const zoomAt = ZOOMS.indexOf(zoom);

  return (
    <div className="waveform-view" data-testid="waveform-view">
      <div className="waveform-toolbar" role="toolbar">
        {objectCount > 1 && (
          <label className="group">
            {t('object')}
            <select value={objectIndex} onChange={(e) => onObject(Number(e.target.value))} data-testid="waveform-object">
              {Array.from({ length: objectCount }, (_, i) => (
                <option key={i} value={i}>
                  {fmt(i + 1)}
                </option>
              ))}
            </select>
          </label>
        )}
        {waveform.groups.length > 1 && (
          <label className="group">
            {t('group')}
            <select
              value={groupIndex}
              data-testid="waveform-group"
              onChange={(e) => {
                setGroupIndex(Number(e.target.value));
                setCaliper(undefined);
                setStart(0);
              }}
            >
              {waveform.groups.map((g) => (
                <option key={g.index} value={g.index}>
                  {g.label || fmt(g.index + 1)}
                </option>
              ))}
            </select>
          </label>
        )}
        <div className="group" role="group" aria-label={t('layout.label')}>
          <button
            type="button"
            aria-pressed={paper.layout === 'standard'}
            disabled={!canStandard}
            title={canStandard ? undefined : t('layout.standardNeedsLeads')}
            data-testid="layout-standard"
            onClick={() => (setLayout('standard'), setCaliper(undefined))}
          >
            {t('layout.standard')}
          </button>
          <button type="button" aria-pressed={paper.layout === 'rows'} data-testid="layout-rows" onClick={() => (setLayout('rows'), setCaliper(undefined))}>
            {t('layout.rows')}
          </button>
        </div>
        <label className="group">
          {t('speed')}
          <select value={speed} data-testid="waveform-speed" onChange={(e) => (setSpeed(Number(e.target.value)), setCaliper(undefined))}>
            {SPEEDS.map((s) => (
              <option key={s} value={s}>
                {t('mmPerS', { value: fmt(s, s % 1 ? 1 : 0) })}
              </option>
            ))}
          </select>
        </label>
        <label className="group">
          {t('gain')}
          <select value={gain} data-testid="waveform-gain" onChange={(e) => (setGain(Number(e.target.value)), setCaliper(undefined))}>
            {GAINS.map((g) => (
              <option key={g} value={g}>
                {t('mmPerMv', { value: fmt(g) })}
              </option>
            ))}
          </select>
        </label>
        <div className="group" role="group" aria-label={t('zoom')}>
          <button type="button" aria-label={t('zoomOut')} disabled={zoomAt <= 0} onClick={() => (setZoom(ZOOMS[zoomAt - 1]!), setCaliper(undefined))} data-testid="zoom-out">
            −
          </button>
          <button type="button" title={t('zoomReset')} onClick={() => (setZoom(1), setCaliper(undefined))} data-testid="zoom-reset">
            {fmt(zoom * 100)}%
          </button>
          <button
            type="button"
            aria-label={t('zoomIn')}
            disabled={zoomAt >= ZOOMS.length - 1}
            onClick={() => (setZoom(ZOOMS[zoomAt + 1]!), setCaliper(undefined))}
            data-testid="zoom-in"
          >
            +
          </button>
        </div>
        {timeWindow && (
          <label className="group">
            {t('start')}
            <input
              type="range"
              min={0}
              max={Math.max(0, group.duration - MAX_ROW_SECONDS)}
              step={1}
              value={start}
              onChange={(e) => (setStart(Number(e.target.value)), setCaliper(undefined))}
              data-testid="waveform-start"
            />
            <span>{t('seconds', { value: fmt(start) })}</span>
          </label>
        )}
        <span className="waveform-readout" data-testid="heart-rate" data-bpm={rate ? rate.bpm.toFixed(1) : ''}>
          {t('heartRate')}: {rate ? `${t('bpm', { value: fmt(rate.bpm) })} (${rate.lead})` : t('noRate')}
        </span>
        <span className="waveform-readout" data-testid="caliper-readout" data-ms={reading ? reading.ms.toFixed(2) : ''} data-amplitude={reading?.amplitude?.toFixed(4) ?? ''}>
          {reading
            ? [
                t('caliper.interval', { value: fmt(reading.ms) }),
                reading.amplitude !== undefined && reading.unit !== undefined ? unitText(reading.amplitude, reading.unit) : undefined,
                reading.bpm !== undefined ? t('bpm', { value: fmt(reading.bpm) }) : undefined,
              ]
                .filter(Boolean)
                .join(' · ')
            : t('caliper.hint')}
        </span>
      </div>
      <div className="waveform-body">
        <div className="waveform-scroll" dir="ltr">
          <EcgPaper
            paper={paper}
            group={group}
            zoom={zoom}
            marks={marks}
            caliper={caliper}
            onCaliper={(c) => setCaliper(c)}
            barLabel={(v, unit) => unitText(v, unit)}
          />
        </div>
        <aside className="waveform-side">
          <p className="muted" data-testid="waveform-info">
            {t('info', { channels: fmt(group.channels.length), rate: fmt(group.samplingFrequency), duration: fmt(group.duration, 1) })}
          </p>
          {waveform.annotations.length > 0 && (
            <>
              <h3>{t('annotations')}</h3>
              <ul className="waveform-annotations" data-testid="waveform-annotations">
                {waveform.annotations.map((a, i) => (
                  <li key={i}>{annotationText(a, fmt, (key, value) => t(key, { value }))}</li>
                ))}
              </ul>
            </>
          )}
          <p className="muted small">{t('scaleNote')}</p>
        </aside>
      </div>
    </div>
  );
}

function annotationText(a: WaveformAnnotation, fmt: (v: number, d?: number) => string, t: (key: 'samples' | 'at', value: string) => string): string {
  const parts: string[] = [];
  if (a.name) parts.push(a.name.meaning || a.name.value);
  if (a.concept) parts.push(a.concept.meaning || a.concept.value);
  if (a.numeric !== undefined) parts.push(`${fmt(a.numeric, a.numeric % 1 ? 2 : 0)}${a.units ? ` ${a.units.value}` : ''}`);
  if (a.text) parts.push(a.text);
  if (a.samplePositions.length) parts.push(t('samples', a.samplePositions.map((p) => fmt(p)).join(', ')));
  if (a.timeOffsets.length) parts.push(t('at', a.timeOffsets.map((s) => fmt(s, 3)).join(', ')));
  return parts.join(' · ');
}
