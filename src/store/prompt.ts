import { create } from 'zustand';

export interface PromptRequest {
  title: string;
  initial: string;
  resolve: (text: string | undefined) => void;
}

interface PromptState {
  request?: PromptRequest;
  ask: (title: string, initial: string) => Promise<string | undefined>;
  /** Answers the open question (undefined: cancelled) and closes it. */
  answer: (text: string | undefined) => void;
}

/**
 * The app's one text question at a time (arrow and text annotations, renaming a measurement): the drawing tools
 * and the panel ask through this, and features/measurements/TextPromptDialog shows it. A new question cancels
 * the one still open.
 */
export const usePromptStore = create<PromptState>((set, get) => ({
  ask: (title, initial) =>
    new Promise((resolve) => {
      get().request?.resolve(undefined);
      set({ request: { title, initial, resolve } });
    }),
  answer: (text) => {
    const request = get().request;
    set({ request: undefined });
    request?.resolve(text);
  },
}));
