// Segmentations (DICOM SEG) over the images they were made on, with Cornerstone's adapters (SEG → labelmap images)
// and its segmentation state (drawing, colours, visibility, style). Loaded on demand: only the overlay layer's
// chunk imports this module (features/objects), never the first image's code.
import { cache, getRenderingEngine, metaData, utilities, type RenderingEngine, type Types } from '@cornerstonejs/core';
import { Enums as ToolEnums, segmentation } from '@cornerstonejs/tools';
import { adaptersSEG } from '@cornerstonejs/adapters';
import { dcmjs } from '../dicom/dcmjs';
import { binarizeFractional, type Rgb } from '../model/segmentation';
import { ENGINE_ID } from './annotations';
import type { ImagingSession } from './session';

const { Labelmap } = ToolEnums.SegmentationRepresentations;

/** How the reader wants a segmentation drawn in a viewport. */
export interface OverlayStyle {
  colors: ReadonlyMap<number, Rgb>;
  hidden: readonly number[];
  /** Fill opacity 0…1. */
  opacity: number;
  mode: 'fill' | 'outline';
}

export interface SegSource {
  /** The overlay set's id (its series): the Cornerstone segmentation id too. */
  id: string;
  /** The SEG's Part 10 bytes (fetched once, with the first viewport that draws it). */
  fetch: () => Promise<Uint8Array>;
  /** The referenced series' image ids, in stack order. */
  referencedImageIds: string[];
  label: string;
  segments: { number: number; label: string }[];
  /** A fractional SEG is drawn where the fraction is at least one half (model/segmentation binarizeFractional). */
  maxFractional?: number;
}

type MetadataGet = (type: string, imageId: string) => unknown;

/**
 * Cornerstone's metadata, plus the naturalized "instance" module the adapter asks for each referenced image (its
 * Rows and Columns, SOP Instance UID, position), built from the modules the WADO-RS loader answers.
 */
const adapterMetadata = {
  get(type: string, imageId: string): unknown {
    const answer = (metaData.get as MetadataGet)(type, imageId);
    if (answer || type !== 'instance') return answer;
    const pixel = metaData.get('imagePixelModule', imageId) as { rows?: number; columns?: number } | undefined;
    const plane = metaData.get('imagePlaneModule', imageId) as
      | { imagePositionPatient?: number[]; rowCosines?: number[]; columnCosines?: number[]; rows?: number; columns?: number }
      | undefined;
    const general = metaData.get('generalImageModule', imageId) as { sopInstanceUID?: string } | undefined;
    if (!plane && !pixel) return undefined;
    return {
      Rows: pixel?.rows ?? plane?.rows,
      Columns: pixel?.columns ?? plane?.columns,
      SOPInstanceUID: general?.sopInstanceUID,
      ImagePositionPatient: plane?.imagePositionPatient,
      ImageOrientationPatient: plane?.rowCosines && plane.columnCosines ? [...plane.rowCosines, ...plane.columnCosines] : undefined,
    };
  },
};

/** A SEG file that cannot be drawn as it is (the screens say why in the reader's language, from `reason`). */
export class SegFileError extends Error {
  constructor(
    readonly reason: 'unreadable' | 'notSegmentation' | 'truncated',
    detail: string,
  ) {
    super(detail);
  }
}

type DcmjsFile = ReturnType<typeof dcmjs.data.DicomMessage.readFile>;

/** Reads a SEG's Part 10 file and checks that its pixel data holds all its frames. */
function readSeg(bytes: Uint8Array): DcmjsFile {
  let file: DcmjsFile;
  try {
    file = dcmjs.data.DicomMessage.readFile(bytes.slice().buffer);
  } catch (e) {
    throw new SegFileError('unreadable', e instanceof Error ? e.message : String(e));
  }
  const num = (tag: string) => Number(file.dict[tag]?.Value?.[0] ?? NaN);
  const [rows, columns, frames, bits] = [num('00280010'), num('00280011'), num('00280008'), num('00280100')];
  const pixels = file.dict['7FE00010']?.Value?.[0];
  const length = pixels instanceof ArrayBuffer ? pixels.byteLength : 0;
  const needed = Math.ceil((rows * columns * (Number.isFinite(frames) ? frames : 1) * bits) / 8);
  if (!(needed > 0)) throw new SegFileError('notSegmentation', 'no Rows, Columns or Bits Allocated');
  // dcmjs pads an element cut off by the end of the file with zeros, so the file's own length is what tells.
  if (length < needed || bytes.length < needed) throw new SegFileError('truncated', `${Math.min(length, bytes.length)} / ${needed} bytes`);
  return file;
}

/** A fractional SEG's pixel data thresholded at one half, as a Part 10 buffer the adapter reads as binary. */
function binarized(file: DcmjsFile, maxValue: number): ArrayBuffer {
  const pixels = file.dict['7FE00010'];
  const bits = Number(file.dict['00280100']?.Value?.[0] ?? 8);
  const value = pixels?.Value?.[0];
  if (value instanceof ArrayBuffer) {
    const typed = bits === 16 ? new Uint16Array(value) : new Uint8Array(value);
    const out = binarizeFractional(typed, maxValue);
    pixels!.Value = [out.buffer as ArrayBuffer];
  }
  const dict = new dcmjs.data.DicomDict(file.meta);
  dict.dict = file.dict;
  return dict.write();
}

/**
 * The segmentations of one viewer (its imaging session's): loaded once each, shown in any of the viewer's
 * viewports (stack or MPR plane) that shows their images, styled as the reader chooses, and removed from
 * Cornerstone when the viewer goes.
 */
export class SegmentationBook {
  private readonly loads = new Map<string, Promise<number[]>>();
  private readonly shownIn = new Map<string, Set<string>>();
  /** Each loaded segmentation's labelmap layers (image ids index-aligned with its referenced images). */
  private readonly layersOf = new Map<string, { referencedImageIds: string[]; layers: string[][] }>();

  /** Loads a SEG as a Cornerstone segmentation (once); resolves to the segment numbers that have pixels. */
  load(source: SegSource): Promise<number[]> {
    let pending = this.loads.get(source.id);
    if (!pending) {
      pending = this.loadNow(source);
      this.loads.set(source.id, pending);
      pending.catch(() => this.loads.delete(source.id));
    }
    return pending;
  }

  private async loadNow(source: SegSource): Promise<number[]> {
    const bytes = await source.fetch();
    const file = readSeg(bytes);
    const buffer = source.maxFractional !== undefined ? binarized(file, source.maxFractional) : bytes.slice().buffer;
    const result = (await adaptersSEG.Cornerstone3D.Segmentation.createLabelmapsFromDICOMBuffer(source.referencedImageIds, buffer, adapterMetadata)) as {
      labelMapImages: Types.IImage[] | Types.IImage[][];
      overlappingSegments?: boolean;
    };
    // Overlapping segments come as several layers, each a labelmap image per referenced image.
    const layers = (Array.isArray(result.labelMapImages[0]) ? result.labelMapImages : [result.labelMapImages]) as Types.IImage[][];
    const labelmaps: Record<string, { labelmapId: string; storageKind: 'stack'; imageIds: string[]; referencedImageIds: string[] }> = {};
    const segmentBindings: Record<number, { labelmapId: string; labelValue: number }> = {};
    const present = new Set<number>();
    layers.forEach((images, i) => {
      const labelmapId = `${source.id}-layer-${i}`;
      labelmaps[labelmapId] = { labelmapId, storageKind: 'stack', imageIds: images.map((im) => im.imageId), referencedImageIds: source.referencedImageIds };
      for (const image of images) {
        const data = image.voxelManager?.getScalarData() ?? image.getPixelData();
        for (let k = 0; k < data.length; k++) {
          const v = data[k]!;
          if (v && !segmentBindings[v]) {
            segmentBindings[v] = { labelmapId, labelValue: v };
            present.add(v);
          }
        }
      }
    });
    this.layersOf.set(source.id, { referencedImageIds: source.referencedImageIds, layers: layers.map((images) => images.map((im) => im.imageId)) });
    const first = Object.values(labelmaps)[0]!;
    segmentation.addSegmentations([
      {
        segmentationId: source.id,
        representation: {
          type: Labelmap,
          data: { imageIds: first.imageIds, referencedImageIds: source.referencedImageIds, labelmaps, segmentBindings, primaryLabelmapId: first.labelmapId },
        },
        config: {
          label: source.label,
          segments: Object.fromEntries(source.segments.map((s) => [s.number, { segmentIndex: s.number, label: s.label }])),
        },
      },
    ]);
    return [...present].sort((a, b) => a - b);
  }

  /** Draws a loaded segmentation in a viewport (again: nothing changes), in the reader's style. */
  show(viewportId: string, id: string, style: OverlayStyle): void {
    const viewports = this.shownIn.get(id) ?? new Set<string>();
    if (!viewports.has(viewportId)) {
      const lut: Types.ColorLUT = [[0, 0, 0, 0]];
      for (const [n, c] of style.colors) lut[n] = [c[0], c[1], c[2], 255];
      for (let i = 0; i < lut.length; i++) lut[i] ??= [0, 0, 0, 0];
      segmentation.addLabelmapRepresentationToViewport(viewportId, [{ segmentationId: id, config: { colorLUTOrIndex: lut } }]);
      viewports.add(viewportId);
      this.shownIn.set(id, viewports);
    }
    this.style(viewportId, id, style);
  }

  /** Applies visibility per segment, opacity and outline/fill. */
  style(viewportId: string, id: string, style: OverlayStyle): void {
    if (!this.shownIn.get(id)?.has(viewportId)) return;
    const specifier = { segmentationId: id, type: Labelmap };
    for (const n of style.colors.keys()) {
      segmentation.config.visibility.setSegmentIndexVisibility(viewportId, specifier, n, !style.hidden.includes(n));
    }
    const fill = style.mode === 'fill';
    segmentation.config.style.setStyle(
      { viewportId, segmentationId: id, type: Labelmap },
      {
        renderFill: fill,
        renderOutline: true,
        fillAlpha: fill ? style.opacity : 0,
        outlineOpacity: 1,
        outlineWidth: 2,
        renderFillInactive: fill,
        renderOutlineInactive: true,
        fillAlphaInactive: fill ? style.opacity : 0,
        outlineOpacityInactive: 1,
      },
    );
    (getRenderingEngine(ENGINE_ID) as RenderingEngine | undefined)?.getViewport(viewportId)?.render();
  }

  /** Stops drawing a segmentation in a viewport. */
  hide(viewportId: string, id: string): void {
    const viewports = this.shownIn.get(id);
    if (!viewports?.delete(viewportId)) return;
    try {
      segmentation.removeSegmentationRepresentations(viewportId, { segmentationId: id });
    } catch {
      // The viewport is gone already.
    }
  }

  /**
   * The segment under a canvas point (CSS pixels) of a viewport, among the segmentations shown there and not
   * hidden: the topmost drawn (the last set listed, its last layer first). Read from the labelmap of the referenced
   * image the point lies on (the stack's image, or on an MPR plane the nearest slice within half a slice).
   */
  segmentAt(viewportId: string, canvas: [number, number], order: { id: string; hidden: readonly number[] }[]): { id: string; segment: number } | undefined {
    const viewport = (getRenderingEngine(ENGINE_ID) as RenderingEngine | undefined)?.getViewport(viewportId);
    if (!viewport) return undefined;
    const world = viewport.canvasToWorld(canvas);
    if (!world) return undefined;
    const current = (viewport as Partial<Types.IStackViewport>).getCurrentImageId?.();
    for (const { id, hidden } of [...order].reverse()) {
      const entry = this.layersOf.get(id);
      if (!entry || !this.shownIn.get(id)?.has(viewportId)) continue;
      const k = current !== undefined ? entry.referencedImageIds.indexOf(current) : nearestImage(entry.referencedImageIds, world);
      if (k < 0) continue;
      const ij = utilities.worldToImageCoords(entry.referencedImageIds[k]!, world);
      if (!ij) continue;
      const [column, row] = [Math.round(ij[0]), Math.round(ij[1])];
      for (const layer of [...entry.layers].reverse()) {
        const image = cache.getImage(layer[k]!);
        if (!image || column < 0 || row < 0 || column >= image.columns || row >= image.rows) continue;
        const value = image.voxelManager?.getAtIndex(row * image.columns + column) as number | undefined;
        if (value && !hidden.includes(value)) return { id, segment: value };
      }
    }
    return undefined;
  }

  /** Removes every segmentation this book loaded (the viewer goes). */
  destroy(): void {
    for (const id of this.loads.keys()) {
      try {
        segmentation.removeSegmentation(id);
      } catch {
        // Never finished loading.
      }
    }
    this.loads.clear();
    this.shownIn.clear();
    this.layersOf.clear();
  }
}

/** The session's segmentation book, made with the first overlay shown in this viewer. */
export function segmentationBook(session: ImagingSession): SegmentationBook {
  return session.overlays(() => new SegmentationBook());
}

/** The index of the image whose plane passes within half a slice of a point, or −1. */
function nearestImage(imageIds: readonly string[], world: Types.Point3): number {
  let best = -1;
  let bestDistance = Infinity;
  let spacing = Infinity;
  let previous: number | undefined;
  imageIds.forEach((imageId, k) => {
    const plane = metaData.get('imagePlaneModule', imageId) as { imagePositionPatient?: number[]; rowCosines?: number[]; columnCosines?: number[] } | undefined;
    const [p, r, c] = [plane?.imagePositionPatient, plane?.rowCosines, plane?.columnCosines];
    if (!p || !r || !c) return;
    const n = [r[1]! * c[2]! - r[2]! * c[1]!, r[2]! * c[0]! - r[0]! * c[2]!, r[0]! * c[1]! - r[1]! * c[0]!];
    const along = n[0]! * p[0]! + n[1]! * p[1]! + n[2]! * p[2]!;
    if (previous !== undefined) spacing = Math.min(spacing, Math.abs(along - previous) || Infinity);
    previous = along;
    const d = Math.abs(n[0]! * world[0] + n[1]! * world[1] + n[2]! * world[2] - along);
    if (d < bestDistance) {
      bestDistance = d;
      best = k;
    }
  });
  return bestDistance <= spacing / 2 + 1e-3 || (spacing === Infinity && bestDistance < 1e-3) ? best : -1;
}
