import { afterEach, describe, expect, it, vi } from 'vitest';
import { ToolGroupManager } from '@cornerstonejs/tools';
import { ImagingSession, type ToolChoice } from './session';

// The stack tool group is Cornerstone's (ToolGroupManager): a stand-in here.
vi.mock('@cornerstonejs/tools', async (original) => ({
  ...(await original<typeof import('@cornerstonejs/tools')>()),
  ToolGroupManager: { getToolGroup: vi.fn(), createToolGroup: vi.fn(), destroyToolGroup: vi.fn() },
}));
const getToolGroup = vi.mocked(ToolGroupManager.getToolGroup);
const destroyToolGroup = vi.mocked(ToolGroupManager.destroyToolGroup);

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
  afterEach(() => {
    getToolGroup.mockReset();
    destroyToolGroup.mockReset();
  });

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

  it('gives two fingers to the zoom tool (pinch and pan) whatever one finger does; taps are the tool\'s while measuring', () => {
    const { group } = fakeGroup();
    const bound: Record<string, unknown[]> = {};
    const setToolActive = group.setToolActive;
    group.setToolActive = (name: string, options: { bindings: unknown[] }) => {
      bound[name] = options.bindings;
      setToolActive(name, options);
    };
    getToolGroup.mockReturnValue(group as never);
    const session = new ImagingSession();
    for (const tool of ['scroll', 'Length'] as const) {
      session.setPrimaryTool(tool);
      expect(bound['Zoom']).toContainEqual({ numTouchPoints: 2 });
    }
    expect(session.measuringNow()).toBe(true);
    session.setPrimaryTool('pan');
    expect(session.measuringNow()).toBe(false);
    session.setPrimaryTool('Length');
    session.setMeasurementsEditable(false);
    expect(session.measuringNow()).toBe(false);
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

  it('has a stack tool group of its own, given back when the viewer detaches it; each its own measurement book', () => {
    const groups = new Map<string, unknown>();
    getToolGroup.mockImplementation((id: string) => groups.get(id) as never);
    destroyToolGroup.mockImplementation((id: string) => void groups.delete(id));
    vi.stubGlobal('window', { addEventListener: vi.fn(), removeEventListener: vi.fn() });
    const a = new ImagingSession();
    const b = new ImagingSession();
    const detach = a.attach();
    // The group exists once a viewport asked for it (stand-in: registered under each session's id).
    const idOf = (s: ImagingSession) => (s as unknown as { toolGroupId: string }).toolGroupId;
    expect(idOf(a)).not.toBe(idOf(b));
    groups.set(idOf(a), fakeGroup().group);
    groups.set(idOf(b), fakeGroup().group);
    try {
      detach();
    } finally {
      vi.unstubAllGlobals();
    }
    expect(destroyToolGroup).toHaveBeenCalledWith(idOf(a));
    expect(groups.has(idOf(b))).toBe(true);
    expect(a.measurements).not.toBe(b.measurements);
  });

  it('knows the open MPR while its view registers it, and not after', () => {
    const session = new ImagingSession();
    const mpr = { reset: vi.fn(), setWindow: vi.fn(), resetWindow: vi.fn(), close: vi.fn() };
    const hide = session.showMpr(mpr);
    expect(session.mpr).toBe(mpr);
    // A newer view registered meanwhile stays when the older one goes (React runs the new effect first at times).
    const newer = { ...mpr };
    const hideNewer = session.showMpr(newer);
    hide();
    expect(session.mpr).toBe(newer);
    hideNewer();
    expect(session.mpr).toBeUndefined();
    expect(session.nextMprNumber()).toBe(1);
    expect(session.nextMprNumber()).toBe(2);
  });
});
