import { describe, expect, it } from 'vitest';
import { usePromptStore } from './prompt';
import { useViewStates } from './viewStates';

describe('prompt store', () => {
  it('asks one question at a time: a new one cancels the open one; answering closes it', async () => {
    const first = usePromptStore.getState().ask('Label', 'a');
    const second = usePromptStore.getState().ask('Rename', 'b');
    await expect(first).resolves.toBeUndefined();
    expect(usePromptStore.getState().request).toMatchObject({ title: 'Rename', initial: 'b' });
    usePromptStore.getState().answer('c');
    await expect(second).resolves.toBe('c');
    expect(usePromptStore.getState().request).toBeUndefined();
  });
});

describe('view states store', () => {
  it("keeps each viewport's last reported state", () => {
    const state = { status: 'ready', imageIndex: 3, imageCount: 10, stack: 1, zoom: 1, pan: [0, 0], rotation: 0, flipHorizontal: false, flipVertical: false, invert: false, cinePlaying: false } as const;
    useViewStates.getState().set(1, { ...state, pan: [0, 0] });
    useViewStates.getState().set(0, { ...state, pan: [0, 0], imageIndex: 4 });
    expect(Object.keys(useViewStates.getState().states)).toEqual(['0', '1']);
    expect(useViewStates.getState().states[0]?.imageIndex).toBe(4);
  });
});
