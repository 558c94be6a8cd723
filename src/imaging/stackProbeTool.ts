import { cache } from '@cornerstonejs/core';
import { ProbeTool } from '@cornerstonejs/tools';

type Stats = Record<string, { index?: number[]; value?: unknown } | undefined>;

/**
 * Cornerstone 5.14's probe looks its value up at (i, j, position in the stack) in the image's own voxels, which
 * hold one slice: on every image but the first the value comes back empty. The value is read again here at
 * slice 0 of the referenced image (modality values: the loader pre-scales, or slope and intercept are applied).
 */
export class StackProbeTool extends ProbeTool {
  static override toolName = ProbeTool.toolName;

  override _calculateCachedStats(...args: Parameters<ProbeTool['_calculateCachedStats']>): ReturnType<ProbeTool['_calculateCachedStats']> {
    const stats = super._calculateCachedStats(...args) as Stats;
    for (const [targetId, s] of Object.entries(stats)) {
      if (!s || s.value !== undefined || !s.index || !targetId.startsWith('imageId:')) continue;
      const image = cache.getImage(targetId.slice('imageId:'.length));
      if (!image || image.color) continue;
      const [i, j] = s.index;
      if (i! < 0 || j! < 0 || i! >= image.columns || j! >= image.rows) continue;
      const stored = image.getPixelData()[j! * image.columns + i!];
      if (stored === undefined) continue;
      s.value = image.preScale?.scaled ? stored : stored * (image.slope ?? 1) + (image.intercept ?? 0);
    }
    return stats as ReturnType<ProbeTool['_calculateCachedStats']>;
  }
}
