import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { bindKey, COMMAND_GROUPS, COMMANDS, commandForKey, keyName, keyOfEvent, keysOf, unbindKeys } from './commands';
import { MEASUREMENT_KINDS } from '../../model/measurements';

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
    expect(id('1')).toBe('preset.1');
    expect(id('2')).toBe('preset.2');
    expect(id('5')).toBe('preset.5');
    expect(id('9')).toBe('preset.9');
    expect(id('0')).toBe('preset.default');
    expect(id('t')).toBe('dialog.tags');
    expect(id('?')).toBe('dialog.help');
    expect(id('ArrowDown')).toBe('image.next');
    expect(id('PageDown')).toBe('series.next');
    expect(id('ArrowRight')).toBe('viewport.next');
    expect(id('c')).toBe('cine.toggle');
    expect(id('F1')).toBeUndefined();
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

  it('gives every measurement tool a key and every command a group', () => {
    for (const kind of MEASUREMENT_KINDS) expect(COMMANDS.find((c) => c.id === `tool.${kind}`)!.keys.length, kind).toBeGreaterThan(0);
    for (const c of COMMANDS) expect(COMMAND_GROUPS).toContain(c.group);
  });

  it("runs the reader's keys instead of the defaults, and refuses a key another command has, naming it", () => {
    const ev = (key: string) => ({ key, ctrlKey: false, metaKey: false, altKey: false, shiftKey: false });
    const taken = bindKey({}, 'tool.CobbAngle', 'd');
    expect(taken).toEqual({
      ok: false,
      message: 'd is already the key of “Length tool”. Give that command another key first.',
      reason: { kind: 'taken', key: 'd', holder: 'tool.Length' },
    });
    expect(bindKey({}, 'tool.CobbAngle', 'Escape').ok).toBe(false);
    const moved = bindKey({}, 'tool.CobbAngle', 'F2');
    if (!moved.ok) throw new Error(moved.message);
    expect(commandForKey(ev('F2'), false, moved.bindings)?.id).toBe('tool.CobbAngle');
    expect(commandForKey(ev('j'), false, moved.bindings)).toBeUndefined();
    // The freed default key can go to another command; the reader's key is taken from then on.
    const again = bindKey(moved.bindings, 'tool.Probe', 'j');
    expect(again.ok && commandForKey(ev('j'), false, again.bindings)?.id).toBe('tool.Probe');
    expect(bindKey(moved.bindings, 'tool.Probe', 'F2')).toMatchObject({ ok: false, message: expect.stringContaining('Cobb angle tool') });
    const cleared = unbindKeys(moved.bindings, 'tool.CobbAngle');
    expect(keysOf(COMMANDS.find((c) => c.id === 'tool.CobbAngle')!, cleared)).toEqual([]);
  });

  it('reads key presses as commands name keys', () => {
    const ev = (key: string, mods = {}) => ({ key, ctrlKey: false, metaKey: false, altKey: false, shiftKey: false, ...mods });
    expect(keyOfEvent(ev('D', { shiftKey: true }))).toBe('d');
    expect(keyOfEvent(ev('Z', { ctrlKey: true, shiftKey: true }))).toBe('Mod+Shift+z');
    expect(keyOfEvent(ev('Shift', { shiftKey: true }))).toBeUndefined();
    expect(keyOfEvent(ev('x', { altKey: true }))).toBeUndefined();
    expect(keyOfEvent(ev('F2'))).toBe('F2');
  });

  it('names keys for people', () => {
    expect(keyName(' ')).toBe('Space');
    expect(keyName('Mod+z')).toBe('Ctrl+Z');
    expect(keyName('Mod+Shift+z')).toBe('Ctrl+Shift+Z');
    expect(keyName('ArrowDown')).toBe('ArrowDown');
  });

  it('has every label, group and measuring tool in the English translation, word for word', () => {
    const en = JSON.parse(readFileSync(path.join(import.meta.dirname, '../../i18n/locales/en/commands.json'), 'utf8')) as {
      label: Record<string, Record<string, string>>;
      group: Record<string, string>;
      short: Record<string, string>;
    };
    for (const c of COMMANDS) {
      const [a, b] = c.id.split('.') as [string, string];
      expect(en.label[a]?.[b], c.id).toBe(c.label);
    }
    expect(Object.keys(en.group)).toEqual([...COMMAND_GROUPS]);
    expect(Object.keys(en.short).sort()).toEqual([...MEASUREMENT_KINDS].sort());
  });
});
