// What a stack viewport shows, as the imaging layer reports it (StackController) and the store keeps it
// (store/viewStates.ts): plain data, so that the store and the application layer need no Cornerstone.
import type { EdgeLabels } from './geometry';

/** What a viewport shows right now, for overlays, the toolbar and tests. */
export interface ViewState {
  status: 'empty' | 'loading' | 'ready' | 'error';
  /** Why the current image is not shown (status 'error'). */
  error?: string;
  imageIndex: number;
  imageCount: number;
  /** Counts the stacks this viewport was given: a new series is not a scroll, window or zoom by the reader. */
  stack: number;
  windowCenter?: number;
  windowWidth?: number;
  zoom: number;
  /** Pan of the image in the viewport (world mm), for zoom/pan sync. */
  pan: [number, number];
  rotation: number;
  flipHorizontal: boolean;
  flipVertical: boolean;
  invert: boolean;
  labels?: EdgeLabels;
  cinePlaying: boolean;
}
