import type { DisplaySet } from '../../model/types';

/** What each kind's viewer gets (features/objects/ObjectViewport.tsx picks the viewer). */
export interface ObjectViewProps {
  /** The series (its objects are `displaySet.objects`). */
  displaySet: DisplaySet;
  dataSource: string;
  /** The viewport's index in the grid. */
  index: number;
}
