/**
 * The image of a viewport as a PNG, as shown (window, zoom, rotation), optionally with the measurements drawn on
 * it. The text overlays (patient name, dates) are HTML beside the canvas and never part of the picture.
 */
export async function captureViewport(element: HTMLElement, withAnnotations: boolean): Promise<Blob> {
  const canvas = element.querySelector<HTMLCanvasElement>('canvas.cornerstone-canvas');
  if (!canvas || canvas.width === 0) throw new Error('this viewport shows no image');
  const out = document.createElement('canvas');
  out.width = canvas.width;
  out.height = canvas.height;
  const ctx = out.getContext('2d');
  if (!ctx) throw new Error('the browser could not make an image');
  ctx.fillStyle = '#000';
  ctx.fillRect(0, 0, out.width, out.height);
  ctx.drawImage(canvas, 0, 0);
  const svg = withAnnotations ? element.querySelector<SVGSVGElement>('svg.svg-layer') : null;
  if (svg && svg.childElementCount > 0) {
    const copy = svg.cloneNode(true) as SVGSVGElement;
    copy.setAttribute('xmlns', 'http://www.w3.org/2000/svg');
    const rect = svg.getBoundingClientRect();
    copy.setAttribute('width', String(rect.width));
    copy.setAttribute('height', String(rect.height));
    const url = URL.createObjectURL(new Blob([new XMLSerializer().serializeToString(copy)], { type: 'image/svg+xml' }));
    try {
      const img = new Image();
      img.src = url;
      await img.decode();
      ctx.drawImage(img, 0, 0, out.width, out.height);
    } finally {
      URL.revokeObjectURL(url);
    }
  }
  return new Promise((resolve, reject) => out.toBlob((b) => (b ? resolve(b) : reject(new Error('the browser could not encode the PNG'))), 'image/png'));
}
