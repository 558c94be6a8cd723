// How the series list and viewports name each kind of object (model/objectKinds.ts decides the kind).
import { Activity, FileCode, FileText, Film, HelpCircle, Layers, PenTool, Star, type LucideIcon } from 'lucide-react';
import type { ObjectKind } from '../../model/types';

export interface KindLook {
  /** What the object is, in a few words: a key of the `objects` namespace (`t(label, { ns: 'objects' })`). */
  label: `kind.${Exclude<ObjectKind, 'image'>}`;
  icon: LucideIcon;
}

/** Every kind but images (which show a thumbnail). A switch, so that a new kind cannot be forgotten. */
export function kindLook(kind: Exclude<ObjectKind, 'image'>): KindLook {
  switch (kind) {
    case 'seg':
      return { label: 'kind.seg', icon: Layers };
    case 'rtstruct':
      return { label: 'kind.rtstruct', icon: PenTool };
    case 'sr':
      return { label: 'kind.sr', icon: FileText };
    case 'ko':
      return { label: 'kind.ko', icon: Star };
    case 'pdf':
      return { label: 'kind.pdf', icon: FileText };
    case 'cda':
      return { label: 'kind.cda', icon: FileCode };
    case 'waveform':
      return { label: 'kind.waveform', icon: Activity };
    case 'video':
      return { label: 'kind.video', icon: Film };
    case 'other':
      return { label: 'kind.other', icon: HelpCircle };
  }
}
