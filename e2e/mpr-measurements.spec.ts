// Measurements on MPR planes: the generated sphere volume stored in the real Orthanc, lengths drawn on the sagittal
// (reformatted) and axial (acquisition) planes between known patient points, saved as DICOM SR and put back.
import type { Locator, Page } from '@playwright/test';
import dcmjs from 'dcmjs';
import { part10Bytes } from '../scripts/demo/part10';
import type { DicomJson } from '../src/dicom/json';
import { readMeasurementGroups } from '../src/model/srContent';
import { test, expect } from './harness/fixtures';
import { center, GAP, HALF, offBy, PIXEL, sphereSeries, SPHERE, toCanvas, Z0, type Vec } from './mpr-helpers';
import { viewport } from './viewer-helpers';

const STUDY = '2.25.77002';
const SERIES = `${STUDY}.1`;
const FOR = `${STUDY}.9`;

/** Orthanc's id of the test study, if it holds it. */
async function orthancStudy(orthancUrl: string): Promise<string | undefined> {
  const found = (await (await fetch(`${orthancUrl}/tools/lookup`, { method: 'POST', body: STUDY })).json()) as { ID: string; Type: string }[];
  return found.find((f) => f.Type === 'Study')?.ID;
}

test.beforeAll(async ({ orthancUrl }) => {
  const series = sphereSeries(SERIES, 1, 'sphere volume', { frameOfReference: FOR });
  for (const instance of series.instances) {
    const dataset: DicomJson = {
      ...instance.metadata,
      '00080060': { vr: 'CS', Value: ['CT'] },
      '00100010': { vr: 'PN', Value: [{ Alphabetic: 'MPR^MEASURE' }] },
      '00100020': { vr: 'LO', Value: ['MPR-M-1'] },
      '0020000D': { vr: 'UI', Value: [STUDY] },
      '0020000E': { vr: 'UI', Value: [SERIES] },
      '00200011': { vr: 'IS', Value: [1] },
      '0008103E': { vr: 'LO', Value: ['sphere volume'] },
      '7FE00010': { vr: 'OW', Value: [instance.frames[0]!.slice().buffer] },
    };
    const res = await fetch(`${orthancUrl}/instances`, { method: 'POST', body: Buffer.from(part10Bytes(dataset as never)), headers: { 'Content-Type': 'application/dicom' } });
    expect(res.ok, await res.clone().text()).toBe(true);
  }
});

test.afterAll(async ({ orthancUrl }) => {
  const id = await orthancStudy(orthancUrl);
  if (id) await fetch(`${orthancUrl}/studies/${id}`, { method: 'DELETE' });
});

const measurements = (page: Page) => page.getByTestId('measurement');
const valueOf = async (item: Locator) => Number(/(-?\d+(?:\.\d+)?)/.exec(await item.getByTestId('measurement-value').innerText())![1]);

/** Drags with the chosen tool between two patient points on a plane. */
async function drawBetween(page: Page, pane: Locator, a: Vec, b: Vec): Promise<void> {
  const box = (await pane.boundingBox())!;
  const pa = await toCanvas(pane, a);
  const pb = await toCanvas(pane, b);
  await page.mouse.move(box.x + pa.x, box.y + pa.y);
  await page.mouse.down();
  await page.mouse.move(box.x + pb.x, box.y + pb.y, { steps: 8 });
  await page.mouse.up();
}

async function openMpr(page: Page): Promise<void> {
  await page.goto(`/viewer?StudyInstanceUIDs=${STUDY}&SeriesInstanceUID=${SERIES}&layout=mpr`);
  await expect(page.getByTestId('mpr-view')).toHaveAttribute('data-status', 'ready', { timeout: 30_000 });
  await expect(page.getByTestId('mpr-progress')).toHaveCount(0, { timeout: 30_000 });
}

test('lengths on the sagittal and axial MPR planes read the true distance, are saved as SR and come back', async ({ page, orthancUrl, errors }) => {
  test.setTimeout(120_000);
  await openMpr(page);
  const sagittal = page.getByTestId('mpr-sagittal');
  const axial = page.getByTestId('mpr-axial');
  // The axial plane low in the volume (a coronal click, which moves x too), away from the sphere; then the other
  // planes through the sphere's centre (an axial click). Measurements are drawn away from the crosshair lines.
  const coronal = page.getByTestId('mpr-coronal');
  const lowZ = Z0 + 5 * GAP;
  const cbox = (await coronal.boundingBox())!;
  const start = await center(page);
  const cl = await toCanvas(coronal, [start[0]! - 40, start[1]!, lowZ]); // off the vertical line, which a click would grab
  await page.mouse.click(cbox.x + cl.x, cbox.y + cl.y);
  await expect.poll(() => offBy(page, 2, lowZ)).toBeLessThanOrEqual(HALF[2]);
  const abox = (await axial.boundingBox())!;
  const ac = await toCanvas(axial, SPHERE.center);
  await page.mouse.click(abox.x + ac.x, abox.y + ac.y);
  await expect.poll(() => offBy(page, 0, SPHERE.center[0])).toBeLessThanOrEqual(HALF[0]);
  const c = await center(page);

  // Sagittal: a line in the plane through the sphere, 30 mm up and 40 mm forward — 50 mm long.
  await page.locator('[data-command="tool.Length"]').click();
  const x = c[0]!;
  const a: Vec = [x, SPHERE.center[1] - 20, SPHERE.center[2] - 15];
  const b: Vec = [x, SPHERE.center[1] + 20, SPHERE.center[2] + 15];
  await drawBetween(page, sagittal, a, b);
  await expect(measurements(page)).toHaveCount(1);
  const sag = measurements(page).first();
  await expect(sag).toContainText('Sagittal MPR');
  // The list follows the drag (a frame behind): wait for the value of the finished line.
  await expect.poll(async () => Math.abs((await valueOf(sag)) - 50), { message: 'within one pixel spacing of 50 mm' }).toBeLessThanOrEqual(PIXEL);

  // Axial (the acquisition plane): the length is on one of the series' images, 36 mm across in x and y.
  const z = c[2]!;
  await drawBetween(page, axial, [SPHERE.center[0] - 10, SPHERE.center[1] - 10, z], [SPHERE.center[0] + 26, SPHERE.center[1] + 17, z]);
  await expect(measurements(page)).toHaveCount(2);
  const ax = measurements(page).nth(1);
  await expect(ax).toContainText(/Im \d+/);
  await expect.poll(async () => Math.abs((await valueOf(ax)) - 45), { message: 'within one pixel spacing of 45 mm' }).toBeLessThanOrEqual(PIXEL);

  // Coronal: an ellipse inside the sphere reads its 1000 HU from the reformatted volume.
  await page.locator('[data-command="tool.EllipticalROI"]').click();
  const y = c[1]!;
  // Starting on the crosshair's vertical line (the sagittal plane at x): with a tool chosen it draws, and the
  // planes stay where they are.
  await drawBetween(page, coronal, [x, y, SPHERE.center[2] + 3], [x + 5, y, SPHERE.center[2] + 8]);
  await expect(measurements(page)).toHaveCount(3);
  const roi = measurements(page).nth(2);
  await expect(roi).toContainText('Coronal MPR');
  expect(await offBy(page, 0, x)).toBeLessThan(0.01);
  await expect(roi.getByTestId('measurement-value')).toHaveText(/Mean -?\d+(\.\d)? HU, SD \d+\.\d HU, Min .* Max .* Area \d+\.\d mm²/);
  // The area of the ellipse as drawn in the coronal plane (semi-axes about 5 mm), not of the sliver the sagittal
  // plane, which cuts it, also measures. The list follows the drag (a frame behind): wait for the finished ellipse.
  const areaOf = async () => Number(/Area (\d+(?:\.\d)?) mm²/.exec(await roi.getByTestId('measurement-value').innerText())![1]);
  await expect.poll(areaOf, { message: 'the finished ellipse, about 80 mm²' }).toBeGreaterThan(50);
  expect(await areaOf()).toBeLessThan(120);
  const mean = Number(/Mean (-?\d+(?:\.\d)?)/.exec(await roi.getByTestId('measurement-value').innerText())![1]);
  expect(Math.abs(mean - SPHERE.hu)).toBeLessThanOrEqual(5);
  await page.getByTestId('mpr-view').screenshot({ path: test.info().outputPath('mpr-measurements.png') });
  const before = {
    sagittal: await sag.getByTestId('measurement-value').innerText(),
    axial: await ax.getByTestId('measurement-value').innerText(),
    coronal: await roi.getByTestId('measurement-value').innerText(),
  };

  await page.getByTestId('save-measurements').click();
  await expect(page.getByTestId('save-status')).toHaveText(/Saved 3 measurements to the PACS/);

  // What Orthanc stored: a Comprehensive 3D SR; the sagittal length in patient coordinates, the axial one on its image.
  const studyId = (await orthancStudy(orthancUrl))!;
  const series = (await (await fetch(`${orthancUrl}/studies/${studyId}/series`)).json()) as { Instances: string[]; MainDicomTags: { Modality?: string } }[];
  const sr = series.find((s) => s.MainDicomTags.Modality === 'SR')!;
  const bytes = await (await fetch(`${orthancUrl}/instances/${sr.Instances[0]}/file`)).arrayBuffer();
  const ds = dcmjs.data.DicomMetaDictionary.naturalizeDataset(dcmjs.data.DicomMessage.readFile(bytes).dict);
  expect(ds.SOPClassUID).toBe('1.2.840.10008.5.1.4.1.1.88.34');
  const groups = readMeasurementGroups(ds);
  expect(groups).toHaveLength(3);
  const g3d = groups.find((g) => g.graphic?.frameOfReferenceUID && g.graphic.type === 'POLYLINE')!;
  expect(g3d.graphic?.frameOfReferenceUID).toBe(FOR);
  const p = g3d.graphic!.data;
  expect(Math.hypot(p[0]! - p[3]!, p[1]! - p[4]!, p[2]! - p[5]!)).toBeCloseTo(g3d.values[0]!.value, 1);
  expect(Math.abs(p[0]! - x)).toBeLessThan(0.01);
  expect(groups.find((g) => g.graphic?.type === 'ELLIPSE')?.graphic?.frameOfReferenceUID).toBe(FOR);
  expect(groups.find((g) => !g.graphic?.frameOfReferenceUID)!.graphic?.sopInstanceUID).toMatch(new RegExp(`^${SERIES.replace(/\./g, '\\.')}\\.\\d+$`));

  // A new session in the stack: opening the report puts both back; the sagittal one is shown in MPR.
  await page.goto(`/viewer?StudyInstanceUIDs=${STUDY}&SeriesInstanceUID=${SERIES}`);
  await expect(viewport(page, 0)).toHaveAttribute('data-status', 'ready', { timeout: 30_000 });
  await page.getByTestId('series-item').filter({ hasText: 'Measurements (Lumen)' }).click();
  await expect(page.getByTestId('report-status')).toHaveText('3 measurements shown');
  await expect(measurements(page)).toHaveCount(3);
  const axialBack = measurements(page).filter({ hasText: /Im \d+/ });
  await axialBack.click();
  await expect(axialBack.getByTestId('measurement-value')).toHaveText(before.axial);
  const sagBack = measurements(page).filter({ hasText: 'Sagittal MPR' });
  await sagBack.click();
  await expect(page.getByTestId('mpr-view')).toHaveAttribute('data-status', 'ready', { timeout: 30_000 });
  // MPR opens crossing at the measurement, so the sagittal plane holds it, and measures it again.
  await expect.poll(() => offBy(page, 0, x)).toBeLessThanOrEqual(HALF[0]);
  await expect(sagBack.getByTestId('measurement-value')).toHaveText(before.sagittal, { timeout: 30_000 });
  // With MPR open, another measurement of the series moves the planes to it.
  const roiBack = measurements(page).filter({ hasText: 'Coronal MPR' });
  await roiBack.click();
  await expect.poll(() => offBy(page, 1, y)).toBeLessThanOrEqual(HALF[1]);
  await expect(roiBack.getByTestId('measurement-value')).toHaveText(before.coronal);
  await page.getByTestId('mpr-view').screenshot({ path: test.info().outputPath('mpr-measurements-restored.png') });
  errors.expectNone();
});
