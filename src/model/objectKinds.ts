// What each DICOM object is to the viewer: an image for the stack, or an object with a viewer of its own (a
// segmentation or structure set drawn over images, a report, a document, a waveform, a video). The SOP classes come
// from PS3.6 (dicom/objectClasses.generated.ts); this module adds what the class alone cannot tell.
import { SOP_CLASS_KINDS, VIDEO_TRANSFER_SYNTAXES } from '../dicom/objectClasses.generated';
import { getString } from '../dicom/json';
import { Tag } from '../dicom/tags';
import type { InstanceMeta, ObjectKind } from './types';

export type { ObjectKind } from './types';

/** Kinds drawn over the images they refer to, rather than in a viewport of their own. */
export const OVERLAY_KINDS: ReadonlySet<ObjectKind> = new Set<ObjectKind>(['seg', 'rtstruct']);

/** The instance's transfer syntax, when its metadata says (WADO-RS metadata may carry the file meta's 00020010). */
export function transferSyntaxOf(inst: InstanceMeta): string | undefined {
  return getString(inst.raw, '00020010') || undefined;
}

/**
 * The kind of one instance. Video by SOP class or by transfer syntax (an ultrasound multi-frame may be stored as
 * H.264); otherwise the class's kind, then an image when it has pixel rows and columns.
 *
 * Not every PACS puts the transfer syntax in its metadata (Orthanc 1.10's WADO-RS metadata has no 00020010, nor
 * does its QIDO answer it). YBR_PARTIAL_420 says it as surely: PS3.5 makes it the photometric interpretation of
 * MPEG-2, H.264 and HEVC pixel data, and no other transfer syntax allows it (PS3.3 C.7.6.3.1.2).
 */
export function instanceKind(inst: InstanceMeta): ObjectKind {
  const ts = transferSyntaxOf(inst);
  if (ts && VIDEO_TRANSFER_SYNTAXES.has(ts)) return 'video';
  if (getString(inst.raw, Tag.PhotometricInterpretation).trim() === 'YBR_PARTIAL_420') return 'video';
  const byClass = SOP_CLASS_KINDS[inst.sopClassUID.trim()];
  if (byClass) return byClass;
  return (inst.rows ?? 0) > 0 && (inst.columns ?? 0) > 0 ? 'image' : 'other';
}

/**
 * The likely kind of a series from its modality alone, before its metadata is read (the series list shows it at
 * once). DOC may be a PDF or a CDA document; `pdf` is the guess until the metadata says.
 */
export function kindFromModality(modality: string | undefined): ObjectKind | undefined {
  switch ((modality ?? '').trim().toUpperCase()) {
    case 'SEG':
      return 'seg';
    case 'RTSTRUCT':
      return 'rtstruct';
    case 'SR':
      return 'sr';
    case 'KO':
      return 'ko';
    case 'DOC':
      return 'pdf';
    case 'ECG':
    case 'HD':
    case 'RESP':
    case 'EPS':
      return 'waveform';
    case 'PR':
    case 'REG':
    case 'FID':
    case 'AU':
    case 'RTPLAN':
    case 'RTRECORD':
      return 'other';
    default:
      return undefined;
  }
}

/** The kind a series is shown as: images when it has any, else the kind of its first object that has a viewer. */
export function seriesKind(instances: readonly InstanceMeta[]): ObjectKind {
  const kinds = instances.map(instanceKind);
  if (kinds.includes('image')) return 'image';
  return kinds.find((k) => k !== 'other') ?? 'other';
}
