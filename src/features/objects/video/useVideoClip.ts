import { useEffect, useState } from 'react';
import { registeredUid } from '../../../dicom/uids';
import { readVideoPart10 } from '../../../dicom/videoPart10';
import type { DicomJson } from '../../../dicom/json';
import { sniffContainer, videoCodecOf, videoMimeType, type VideoContainer } from '../../../model/video';
import type { ObjectFile } from '../useObjectFile';

export type VideoClip =
  | { status: 'loading' }
  | { status: 'error'; key: 'retrieveFailed' | 'readFailed'; error: string }
  | { status: 'not-video'; syntax: string }
  | { status: 'unplayable'; syntax: string; uid: string; container: VideoContainer }
  | { status: 'ready'; url: string; mime: string; syntax: string; uid: string; metadata: DicomJson };

/**
 * The object's stream as a Blob URL the video element plays, or why it cannot be: the file not retrieved or not
 * readable, no video transfer syntax, or a codec or container this browser cannot play (asked with canPlayType,
 * before anything is decoded). The URL is revoked when the clip goes.
 */
export function useVideoClip(file: ObjectFile, canPlayType: (mime: string) => CanPlayTypeResult): VideoClip {
  const [clip, setClip] = useState<VideoClip>({ status: 'loading' });
  useEffect(() => {
    if (file.status === 'loading') return setClip({ status: 'loading' });
    if (file.status === 'error') return setClip({ status: 'error', key: 'retrieveFailed', error: file.error });
    let video;
    try {
      video = readVideoPart10(file.bytes);
    } catch (e) {
      return setClip({ status: 'error', key: 'readFailed', error: e instanceof Error ? e.message : String(e) });
    }
    const uid = video.transferSyntaxUID;
    const syntax = registeredUid(uid)?.name ?? uid;
    const codec = videoCodecOf(uid);
    if (!codec) return setClip({ status: 'not-video', syntax });
    const container = sniffContainer(video.stream);
    const mime = videoMimeType(container, codec);
    if (canPlayType(mime) === '') return setClip({ status: 'unplayable', syntax, uid, container });
    // The Blob's type without codecs (what a server would send); canPlayType above had the codec string.
    const url = URL.createObjectURL(new Blob([video.stream as BlobPart], { type: mime.split(';')[0] }));
    setClip({ status: 'ready', url, mime, syntax, uid, metadata: video.metadata });
    return () => URL.revokeObjectURL(url);
  }, [file, canPlayType]);
  return clip;
}
