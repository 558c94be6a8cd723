import { afterEach, describe, expect, it, vi } from 'vitest';
import { ToolGroupManager } from '@cornerstonejs/tools';
import { ImagingSession, type ToolChoice } from './session';

// The stack tool group is Cornerstone's (ToolGroupManager): a stand-in here.
vi.mock('@cornerstonejs/tools', async (original) => ({
  ...(await original<typeof import('@cornerstonejs/tools')>()),
  ToolGroupManager: { getToolGroup: vi.fn(), createToolGroup: vi.fn() },
}));
const getToolGroup = vi.mocked(ToolGroupManager.getToolGroup);

/** A stand-in for Cornerstone's stack tool group: records which tool the left button is bound to. */
function fakeGroup() {
  const active: Record<string, unknown[]> = {};
  const enabled = new Set<string>();
  const group = {
    setToolPassive: (name: string) => void (delete active[name], enabled.delete(name)),
    setToolEnabled: (name: string) => void (delete active[name], enabled.add(name)),
    setToolDisabled: (name: string) => void enabled.delete(name),
    setToolActive: (name: string, { bindings }: { bindings: unknown[] }) => void (active[name] = bindings),
    setToolConfiguration: vi.fn(),
    hasTool: () => true,
    addTool: vi.fn(),
  };
  const primary = () => Object.entries(active).find(([, b]) => b.some((x) => (x as { mouseButton: number }).mouseButton === 1))?.[0];
  return { group, primary, enabled };
}

describe('ImagingSession', () => {
  afterEach(() => getToolGroup.mockReset());

  it("binds the reader's tool choice to the stack tool group and tells MPR's watchers; read-only keeps navigation only", () => {
    const { group, primary, enabled } = fakeGroup();
    getToolGroup.mockReturnValue(group as never);
    const session = new ImagingSession();
    expect(session.toolChoice()).toEqual({ primary: 'windowLevel', editable: true });
    const seen: ToolChoice[] = [];
    const stop = session.watchToolChoice((c) => seen.push(c));
    session.setPrimaryTool('Length');
    expect(primary()).toBe('Length');
    session.setMeasurementsEditable(false);
    expect(primary()).toBe('WindowLevel');
    expect(enabled.has('Length')).toBe(true);
    stop();
    session.setPrimaryTool('pan');
    expect(primary()).toBe('Pan');
    expect(seen).toEqual([
      { primary: 'Length', editable: true },
      { primary: 'Length', editable: false },
    ]);
  });

  it('keeps the reference lines source for the tool group, which takes it when made', () => {
    const { group } = fakeGroup();
    getToolGroup.mockReturnValue(undefined);
    const session = new ImagingSession();
    session.setReferenceLines('viewport-1');
    getToolGroup.mockReturnValue(group as never);
    session.setReferenceLines('viewport-2');
    expect(group.setToolConfiguration).toHaveBeenCalledWith('ReferenceLines', { sourceViewportId: 'viewport-2' }, true);
  });
});
