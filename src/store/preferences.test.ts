import { beforeEach, describe, expect, it } from 'vitest';
import { loadPreferences, PREFERENCES_KEY, usePreferencesStore } from './preferences';

/** localStorage as the browser has it, in memory. */
class MemoryStorage {
  data = new Map<string, string>();
  get length() {
    return this.data.size;
  }
  getItem(k: string) {
    return this.data.get(k) ?? null;
  }
  setItem(k: string, v: string) {
    this.data.set(k, String(v));
  }
  removeItem(k: string) {
    this.data.delete(k);
  }
  clear() {
    this.data.clear();
  }
  key(i: number) {
    return [...this.data.keys()][i] ?? null;
  }
}

describe('preferences', () => {
  let storage: MemoryStorage;
  beforeEach(() => {
    storage = new MemoryStorage();
    (globalThis as { localStorage?: unknown }).localStorage = storage;
    usePreferencesStore.getState().reload();
  });

  it('stores only what the reader changed, and reads it back', () => {
    expect(storage.length).toBe(0);
    const s = usePreferencesStore.getState();
    s.setKeyBindings({ 'tool.CobbAngle': ['F2'] });
    s.setReaderPreset(1, { label: 'Mine', center: 50.5, width: 350 });
    s.setCollapsed('series', true);
    const again = loadPreferences(storage as unknown as Storage);
    expect(again.keyBindings).toEqual({ 'tool.CobbAngle': ['F2'] });
    expect(again.readerPresets).toEqual([null, { label: 'Mine', center: 50.5, width: 350 }, null, null]);
    expect(again.collapsed).toEqual({ series: true, measurements: false });
    s.resetKeyBindings();
    expect(loadPreferences(storage as unknown as Storage).keyBindings).toEqual({});
  });

  it('falls back to the defaults on anything it cannot read', () => {
    for (const raw of ['{', '[]', JSON.stringify({ version: 2 }), JSON.stringify({ version: 1, readerPresets: [{ label: '', center: 0, width: -1 }] })]) {
      storage.setItem(PREFERENCES_KEY, raw);
      expect(loadPreferences(storage as unknown as Storage)).toEqual({ keyBindings: {}, readerPresets: [], collapsed: { series: false, measurements: false } });
    }
  });

  it('keeps the language chosen in the menu, and only a language the app has', () => {
    usePreferencesStore.getState().setLanguage('ar');
    expect(loadPreferences(storage as unknown as Storage).language).toBe('ar');
    storage.setItem(PREFERENCES_KEY, JSON.stringify({ version: 1, language: 'xx' }));
    expect(loadPreferences(storage as unknown as Storage).language).toBeUndefined();
    storage.setItem(PREFERENCES_KEY, JSON.stringify({ version: 1 }));
    usePreferencesStore.getState().reload();
    expect(usePreferencesStore.getState().language).toBeUndefined();
  });

  it('ignores slots outside 6–9', () => {
    usePreferencesStore.getState().setReaderPreset(4, { label: 'x', center: 0, width: 1 });
    expect(storage.length).toBe(0);
  });
});
