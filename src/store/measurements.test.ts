import { beforeEach, describe, expect, it } from 'vitest';
import type { Measurement } from '../model/measurements';
import { unsavedChanges, useMeasurementStore } from './measurements';

const m = (uid: string, value?: number, label = ''): Measurement => ({
  uid,
  kind: 'Length',
  label,
  studyInstanceUID: '1',
  seriesInstanceUID: '1.1',
  sopInstanceUID: '1.1.1',
  frameNumber: 1,
  values: value === undefined ? [] : [{ name: 'length', value, unit: 'mm' }],
});

const sync = (measurements: Measurement[]) => useMeasurementStore.getState().sync({ measurements, selected: [], canUndo: false, canRedo: false });
const unsaved = () => unsavedChanges(useMeasurementStore.getState());

describe('measurement store: unsaved changes', () => {
  beforeEach(() => useMeasurementStore.getState().reset());

  it('counts new, edited and deleted measurements since the last save', () => {
    sync([m('a', 10), m('b', 20)]);
    expect(unsaved()).toBe(2);
    useMeasurementStore.getState().markSaved('1', [m('a', 10), m('b', 20)]);
    expect(unsaved()).toBe(0);
    sync([m('a', 10, 'renamed'), m('b', 20)]);
    expect(unsaved()).toBe(1);
    sync([m('b', 21)]);
    expect(unsaved()).toBe(2); // a deleted, b moved
  });

  it('counts a measurement moved without changing its value, and edits made while a save was on its way', () => {
    const at = (geometry: string) => ({ ...m('a', 10), geometry });
    sync([at('0 0 0;1 0 0')]);
    useMeasurementStore.getState().markSaved('1', [at('0 0 0;1 0 0')]);
    expect(unsaved()).toBe(0);
    sync([at('5 0 0;6 0 0')]);
    expect(unsaved()).toBe(1);
    // Saved what was sent, not what the list holds when the answer comes.
    useMeasurementStore.getState().markSaved('1', [at('0 0 0;1 0 0')]);
    expect(unsaved()).toBe(1);
  });

  it('keeps each study’s saved state apart (a save covers one study’s report)', () => {
    const other = { ...m('c', 5), studyInstanceUID: '2' };
    sync([m('a', 10), other]);
    useMeasurementStore.getState().markSaved('1', [m('a', 10)]);
    expect(unsaved()).toBe(1);
    useMeasurementStore.getState().markSaved('2', [other]);
    expect(unsaved()).toBe(0);
    sync([other]);
    useMeasurementStore.getState().markSaved('1', []);
    expect(unsaved()).toBe(0);
  });

  it('counts measurements restored from a report as saved once their values are measured', () => {
    sync([m('r', undefined)]);
    useMeasurementStore.getState().markRestored(['r']);
    expect(unsaved()).toBe(0);
    sync([m('r', 33)]);
    expect(useMeasurementStore.getState().restoredPending).toEqual([]);
    expect(unsaved()).toBe(0);
    sync([m('r', 35)]);
    expect(unsaved()).toBe(1);
    sync([]);
    expect(unsaved()).toBe(1); // deleted after restoring
  });
});
