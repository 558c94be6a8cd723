// Names in other scripts and character sets (ISO 8859 parts, GB18030, UTF-8, ISO 2022 code extensions for
// Japanese and Korean) read correctly in the worklist, the viewer and the tag browser, from the PACS and from a
// static tree written by the importer.
import path from 'node:path';
import { importFiles } from '../scripts/import/staticTree';
import { test, expect, startStack, type Stack } from './harness/fixtures';
import { serveStaticTree, type StaticTreeServer } from './harness/staticStudy';

const DIR = '/usr/lib/python3/dist-packages/pydicom/data/charset_files';
/** file → how the worklist writes its PatientName (pydicom's reading of the same files, formatted). */
const NAMES: Record<string, string> = {
  chrArab: 'قباني، لنزار',
  chrFren: 'Buc, Jérôme',
  chrGerm: 'Äneas, Rüdiger',
  chrGreek: 'Διονυσιος',
  chrH31: 'Yamada, Tarou (山田 太郎, やまだ たろう)',
  chrHbrw: 'שרון, דבורה',
  chrI2: 'Hong, Gildong (洪 吉洞, 홍 길동)',
  chrRuss: 'Люкceмбypг',
  chrX1: 'Wang, XiaoDong (王 小東)',
  chrX2: 'Wang, XiaoDong (王 小东)',
};
const H31_STUDY = '1.3.6.1.4.1.5962.1.2.0.1175775771.5702.0';
const files = Object.keys(NAMES).map((n) => path.join(DIR, `${n}.dcm`));

async function checkNames(page: import('@playwright/test').Page, url: string) {
  await page.goto(url);
  const names = page.getByTestId('study-row').locator('[data-col=patientName]');
  await expect(names).toHaveCount(files.length);
  expect((await names.allInnerTexts()).map((t) => t.trim()).sort()).toEqual(Object.values(NAMES).sort());
  // Japanese with ISO 2022 escapes, in the viewer and in the tag browser.
  await page.goto(`${url}/viewer?StudyInstanceUIDs=${H31_STUDY}`);
  const vp = page.getByTestId('viewport').first();
  await expect(vp).toHaveAttribute('data-status', 'ready');
  await expect(page.getByTestId('patient-banner')).toContainText(NAMES.chrH31!);
  await expect(vp.getByTestId('overlay-patient')).toContainText(NAMES.chrH31!);
  await page.keyboard.press('t');
  const tags = page.getByTestId('tag-browser');
  await expect(tags.locator('tr[data-tag="00100010"]')).toContainText('Yamada^Tarou=山田^太郎=やまだ^たろう');
}

test.describe('from the PACS', () => {
  let stack: Stack;
  test.beforeAll(async () => {
    stack = await startStack({ files: files.map((p) => ({ path: p, label: path.basename(p), expectRejected: false })) });
  });
  test.afterAll(async () => stack?.stop());

  test('names in ten character sets read correctly in the worklist, the viewer and the tags', async ({ page, errors }) => {
    await checkNames(page, stack.url);
    errors.expectNone();
  });
});

test.describe('from a static tree', () => {
  let server: StaticTreeServer;
  test.beforeAll(async () => {
    server = await serveStaticTree('charsets', (dir) => expect(importFiles(files, dir).warnings).toEqual([]));
  });
  test.afterAll(async () => server?.stop());

  test('the importer decodes the same names, ISO 2022 included', async ({ page, errors }) => {
    await checkNames(page, server.url);
    errors.expectNone();
  });
});
