import { describe, expect, it, vi } from 'vitest';
import { Enums as ToolEnums, ZoomTool } from '@cornerstonejs/tools';
import { onDoubleTap, TouchZoomTool, TWO_FINGER_BINDING } from './touch';

/** A touch drag event as Cornerstone's dispatcher hands it to a tool (only what the tool reads here). */
const drag = (fingers: number) => ({ detail: { currentPointsList: Array.from({ length: fingers }, () => ({})) } }) as never;

describe('TouchZoomTool', () => {
  it("takes Cornerstone's zoom tool's name, so every tool group's zoom is this one", () => {
    expect(TouchZoomTool.toolName).toBe(ZoomTool.toolName);
    expect(TWO_FINGER_BINDING).toEqual({ numTouchPoints: 2 });
  });

  it('pinches with two fingers and zooms (does not pan) with one', () => {
    const pinch = vi.spyOn(ZoomTool.prototype, '_pinchCallback').mockImplementation(() => {});
    const zoomDrag = vi.spyOn(ZoomTool.prototype, '_dragCallback').mockImplementation(() => {});
    const tool = new TouchZoomTool();
    tool.touchDragCallback(drag(2));
    expect(pinch).toHaveBeenCalledTimes(1);
    expect(zoomDrag).not.toHaveBeenCalled();
    tool.touchDragCallback(drag(1));
    expect(zoomDrag).toHaveBeenCalledTimes(1);
    expect(pinch).toHaveBeenCalledTimes(1);
    pinch.mockRestore();
    zoomDrag.mockRestore();
  });

  it('records where a one-finger zoom starts (the point it zooms about)', () => {
    const tool = new TouchZoomTool();
    const pre = vi.spyOn(tool, 'preMouseDownCallback').mockReturnValue(false);
    // Re-bound in the constructor: the spy sees calls made through the instance property.
    expect(tool.preTouchStartCallback({} as never)).toBe(false);
    expect(pre).toHaveBeenCalledTimes(1);
  });
});

describe('onDoubleTap', () => {
  const tap = (target: EventTarget, taps: number) => target.dispatchEvent(new CustomEvent(ToolEnums.Events.TOUCH_TAP, { detail: { taps } }));

  it('fits on two taps, not on one, and stops listening when asked', () => {
    const element = new EventTarget() as unknown as HTMLElement;
    const fit = vi.fn();
    const stop = onDoubleTap(element, fit);
    tap(element, 1);
    expect(fit).not.toHaveBeenCalled();
    tap(element, 2);
    expect(fit).toHaveBeenCalledTimes(1);
    stop();
    tap(element, 2);
    expect(fit).toHaveBeenCalledTimes(1);
  });
});
