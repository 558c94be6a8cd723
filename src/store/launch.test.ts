import { beforeEach, describe, expect, it } from 'vitest';
import { useLaunchStore } from './launch';

describe('launch store', () => {
  beforeEach(() => useLaunchStore.getState().clear());

  it('takes a launch request and keeps it in memory until cleared', () => {
    expect(useLaunchStore.getState().capture('/viewer', '?AccessionNumber=A1')).toBe(true);
    const pending = useLaunchStore.getState().pending;
    expect(pending?.location).toBe('/viewer?AccessionNumber=A1');
    expect(pending?.parsed).toEqual({ ok: true, request: { target: { kind: 'accessions', accessionNumbers: ['A1'] }, dataSource: undefined, form: 'short' } });
    useLaunchStore.getState().clear();
    expect(useLaunchStore.getState().pending).toBeUndefined();
  });

  it('leaves other locations alone', () => {
    expect(useLaunchStore.getState().capture('/viewer', '?StudyInstanceUIDs=1.2.3')).toBe(false);
    expect(useLaunchStore.getState().capture('/', '')).toBe(false);
    expect(useLaunchStore.getState().pending).toBeUndefined();
  });
});
