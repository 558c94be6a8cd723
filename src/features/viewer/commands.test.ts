import { describe, expect, it } from 'vitest';
import { COMMANDS, commandForKey, keyName } from './commands';

describe('viewer commands', () => {
  it('gives every hotkey to exactly one command', () => {
    const keys = COMMANDS.flatMap((c) => c.keys);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('maps the conventional hotkeys', () => {
    const id = (key: string, mods = {}) =>
      commandForKey({ key, ctrlKey: false, metaKey: false, altKey: false, shiftKey: false, ...mods })?.id;
    expect(id('z')).toBe('tool.zoom');
    expect(id('R')).toBe('view.rotateRight');
    expect(id('i')).toBe('view.invert');
    expect(id(' ')).toBe('view.reset');
    expect(id('1')).toBe('preset.soft-tissue');
    expect(id('2')).toBe('preset.lung');
    expect(id('5')).toBe('preset.default');
    expect(id('ArrowDown')).toBe('image.next');
    expect(id('PageDown')).toBe('series.next');
    expect(id('ArrowRight')).toBe('viewport.next');
    expect(id('c')).toBe('cine.toggle');
    expect(id('q')).toBeUndefined();
    expect(id('d')).toBe('tool.Length');
    expect(id('e')).toBe('tool.EllipticalROI');
    expect(id('Delete')).toBe('measure.delete');
  });

  it('runs Ctrl/Cmd combinations only where a command names them', () => {
    const id = (key: string, mods = {}, readOnly = false) =>
      commandForKey({ key, ctrlKey: false, metaKey: false, altKey: false, shiftKey: false, ...mods }, readOnly)?.id;
    expect(id('z', { ctrlKey: true })).toBe('measure.undo');
    expect(id('z', { metaKey: true })).toBe('measure.undo');
    expect(id('y', { ctrlKey: true })).toBe('measure.redo');
    expect(id('Z', { ctrlKey: true, shiftKey: true })).toBe('measure.redo');
    expect(id('c', { ctrlKey: true })).toBeUndefined();
    expect(id('w', { altKey: true })).toBeUndefined();
  });

  it('leaves out every editing command in read-only viewing', () => {
    const id = (key: string, mods = {}) =>
      commandForKey({ key, ctrlKey: false, metaKey: false, altKey: false, shiftKey: false, ...mods }, true)?.id;
    expect(id('d')).toBeUndefined();
    expect(id('Delete')).toBeUndefined();
    expect(id('z', { ctrlKey: true })).toBeUndefined();
    expect(id('w')).toBe('tool.windowLevel');
  });

  it('names keys for people', () => {
    expect(keyName(' ')).toBe('Space');
    expect(keyName('Mod+z')).toBe('Ctrl+Z');
    expect(keyName('Mod+Shift+z')).toBe('Ctrl+Shift+Z');
    expect(keyName('ArrowDown')).toBe('ArrowDown');
  });
});
