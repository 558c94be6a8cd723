// The video viewer (its own chunk, loaded when a video series is first opened): the object's Part 10 file is
// retrieved, its encapsulated stream played in the browser's <video> element with play/pause, frame stepping at the
// file's frame rate, speed, a scrubber and a frame/time readout. Why not Cornerstone's VideoViewport: docs/objects.md.
import { Pause, Play, StepBack, StepForward } from 'lucide-react';
import { useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { frameAt, frameCount, timeOfFrame, VIDEO_SPEEDS, videoFrameRate } from '../../../model/video';
import type { DisplaySet } from '../../../model/types';
import { useObjectFile } from '../useObjectFile';
import { useVideoClip } from './useVideoClip';
import './video.css';

const canPlayType = (mime: string) => document.createElement('video').canPlayType(mime);

const MEDIA_ERRORS: Record<number, 'aborted' | 'network' | 'decode' | 'unsupported'> = { 1: 'aborted', 2: 'network', 3: 'decode', 4: 'unsupported' };

/** ObjectViewport's props (ObjectViewProps; not imported from it, which imports this chunk: no import cycle). */
interface Props {
  displaySet: DisplaySet;
  dataSource: string;
  index: number;
}

export default function VideoViewer({ displaySet, dataSource }: Props) {
  const { t } = useTranslation('video');
  const [which, setWhich] = useState(0);
  const instance = displaySet.objects[Math.min(which, displaySet.objects.length - 1)];
  const { studyInstanceUID, seriesInstanceUID } = displaySet.series;
  const file = useObjectFile(dataSource, studyInstanceUID, seriesInstanceUID, instance);
  const clip = useVideoClip(file, canPlayType);
  const count = displaySet.objects.length;

  let body: React.ReactNode;
  if (clip.status === 'loading') body = <div className="viewport-message">{t('loading')}</div>;
  else if (clip.status === 'ready') body = <VideoPlayer key={clip.url} clip={clip} />;
  else {
    const text =
      clip.status === 'error'
        ? t(clip.key, { error: clip.error })
        : clip.status === 'not-video'
          ? t('notVideo', { syntax: clip.syntax })
          : t('cannotPlay', { syntax: clip.syntax, uid: clip.uid, container: t(`container.${clip.container}`) });
    body = (
      <div className="viewport-message error" role="alert" data-testid="viewport-message">
        {text}
      </div>
    );
  }
  return (
    <div className="video-viewer" data-testid="video-viewer" data-status={clip.status}>
      {count > 1 && (
        <select className="video-clip-picker" aria-label={t('clip', { n: which + 1, count })} value={which} onChange={(e) => setWhich(Number(e.target.value))}>
          {displaySet.objects.map((o, i) => (
            <option key={o.sopInstanceUID} value={i}>
              {t('clip', { n: i + 1, count })}
            </option>
          ))}
        </select>
      )}
      {body}
    </div>
  );
}

function VideoPlayer({ clip }: { clip: Extract<ReturnType<typeof useVideoClip>, { status: 'ready' }> }) {
  const { t, i18n } = useTranslation('video');
  const ref = useRef<HTMLVideoElement>(null);
  const [duration, setDuration] = useState(0);
  const [time, setTime] = useState(0);
  const [playing, setPlaying] = useState(false);
  const [speed, setSpeed] = useState(1);
  const [error, setError] = useState<string>();
  const fps = videoFrameRate(clip.metadata, duration);
  const frames = frameCount(clip.metadata, fps, duration);
  const frame = Math.min(frames - 1, frameAt(time, fps));
  const number = useMemo(() => new Intl.NumberFormat(i18n.language, { minimumFractionDigits: 2, maximumFractionDigits: 2 }), [i18n.language]);
  const integer = useMemo(() => new Intl.NumberFormat(i18n.language), [i18n.language]);

  useEffect(() => {
    const video = ref.current!;
    let raf = 0;
    // While playing, the readout follows each painted frame (timeupdate comes only every ~250 ms).
    const follow = () => {
      setTime(video.currentTime);
      raf = requestAnimationFrame(follow);
    };
    const on: Record<string, () => void> = {
      loadedmetadata: () => setDuration(video.duration),
      durationchange: () => setDuration(video.duration),
      play: () => {
        setPlaying(true);
        cancelAnimationFrame(raf);
        raf = requestAnimationFrame(follow);
      },
      pause: () => {
        setPlaying(false);
        cancelAnimationFrame(raf);
        setTime(video.currentTime);
      },
      seeked: () => setTime(video.currentTime),
      ratechange: () => setSpeed(video.playbackRate),
      error: () => {
        const key = MEDIA_ERRORS[video.error?.code ?? 0];
        setError(t('decodeFailed', { syntax: clip.syntax, uid: clip.uid, reason: t(`mediaError.${key ?? 'unknown'}`) }));
      },
    };
    for (const [type, fn] of Object.entries(on)) video.addEventListener(type, fn);
    return () => {
      cancelAnimationFrame(raf);
      for (const [type, fn] of Object.entries(on)) video.removeEventListener(type, fn);
      video.pause();
    };
  }, [clip, t]);

  const video = () => ref.current!;
  const seekFrame = (k: number) => {
    const v = video();
    v.pause();
    v.currentTime = timeOfFrame(Math.min(frames - 1, Math.max(0, k)), fps);
  };
  const togglePlay = () => {
    const v = video();
    if (v.paused) void v.play().catch(() => undefined); // a failure is reported by the element's error event
    else v.pause();
  };

  return (
    <>
      {/* The picture is never mirrored, whatever the language's direction. */}
      <video ref={ref} className="video-picture" src={clip.url} muted playsInline loop preload="auto" dir="ltr" data-testid="video" data-fps={fps} data-frames={frames} />
      {error && (
        <div className="viewport-message error" role="alert" data-testid="viewport-message">
          {error}
        </div>
      )}
      {/* Transport controls and the timeline run left to right in every language, like the tape they stand for. */}
      <div className="video-controls" role="group" aria-label={t('controls')} dir="ltr">
        <button type="button" onClick={togglePlay} aria-label={t(playing ? 'pause' : 'play')} title={t(playing ? 'pause' : 'play')} data-testid="video-play" aria-pressed={playing}>
          {playing ? <Pause size={16} aria-hidden /> : <Play size={16} aria-hidden />}
        </button>
        <button type="button" onClick={() => seekFrame(frame - 1)} aria-label={t('stepBack')} title={t('stepBack')} data-testid="video-step-back">
          <StepBack size={16} aria-hidden />
        </button>
        <button type="button" onClick={() => seekFrame(frame + 1)} aria-label={t('stepForward')} title={t('stepForward')} data-testid="video-step-forward">
          <StepForward size={16} aria-hidden />
        </button>
        <input
          type="range"
          className="video-scrubber"
          min={0}
          max={Math.max(0, frames - 1)}
          step={1}
          value={frame}
          onChange={(e) => seekFrame(Number(e.target.value))}
          aria-label={t('position')}
          aria-valuetext={t('readout', { frame: integer.format(frame + 1), frames: integer.format(frames), time: number.format(time), duration: number.format(duration || 0) })}
          data-testid="video-scrubber"
        />
        <span className="video-readout" dir={i18n.dir()} data-testid="video-readout" data-frame={frame + 1}>
          {t('readout', { frame: integer.format(frame + 1), frames: integer.format(frames), time: number.format(time), duration: number.format(duration || 0) })}
          {' · '}
          {t('rate', { fps: number.format(fps) })}
        </span>
        <select
          value={speed}
          onChange={(e) => {
            video().playbackRate = Number(e.target.value);
          }}
          aria-label={t('speed')}
          title={t('speed')}
          data-testid="video-speed"
        >
          {VIDEO_SPEEDS.map((s) => (
            <option key={s} value={s}>
              {t('speedOption', { speed: new Intl.NumberFormat(i18n.language).format(s) })}
            </option>
          ))}
        </select>
      </div>
    </>
  );
}
