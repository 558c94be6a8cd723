// Touch on the images. Cornerstone's tools already listen to touch: one finger runs the tool bound to the primary
// mouse button, the tool bound to `numTouchPoints: 2` takes two fingers (chosen again at every move, so a second
// finger landing mid-gesture switches to it), and handles are picked within 36 px of a touch (TOUCH_PROXIMITY) rather
// than 6. What it lacks is filled here: its Zoom tool, when one finger is the zoom tool, pans instead of zooming (its
// touch drag is the pinch handler, which pans for one finger), and nothing fits the image on a double tap.
import { Enums as ToolEnums, ZoomTool, type Types as ToolTypes } from '@cornerstonejs/tools';

/**
 * Cornerstone's ZoomTool, registered under the same name: two fingers pinch-zoom and pan together (its own pinch
 * handler); one finger drags to zoom, as the mouse does.
 */
export class TouchZoomTool extends ZoomTool {
  static override toolName = ZoomTool.toolName;

  constructor(...args: ConstructorParameters<typeof ZoomTool>) {
    super(...args);
    // Its constructor assigns these per instance, so they are replaced here rather than overridden as methods.
    const pinch = this._pinchCallback.bind(this);
    const drag = this._dragCallback.bind(this);
    this.touchDragCallback = (evt) => {
      const points = (evt.detail as { currentPointsList?: unknown[] }).currentPointsList;
      if (points && points.length > 1) pinch(evt);
      else drag(evt);
    };
    // The one-finger drag zooms about where it started, which the mouse-down callback records.
    this.preTouchStartCallback = (evt) => {
      this.preMouseDownCallback(evt);
      return false;
    };
  }
}

/** The binding that gives a tool group's zoom tool two fingers (pinch to zoom, drag to pan). */
export const TWO_FINGER_BINDING: ToolTypes.IToolBinding = { numTouchPoints: 2 };

/**
 * Calls `fit` when the element is double-tapped (Cornerstone's tap event counts the taps within 300 ms at one
 * place); returns the function that stops listening.
 */
export function onDoubleTap(element: HTMLElement, fit: () => void): () => void {
  const listener = (e: Event) => {
    const taps = (e as CustomEvent<{ taps?: number }>).detail?.taps ?? 0;
    if (taps >= 2) fit();
  };
  element.addEventListener(ToolEnums.Events.TOUCH_TAP, listener);
  return () => element.removeEventListener(ToolEnums.Events.TOUCH_TAP, listener);
}
