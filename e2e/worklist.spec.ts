// The study list (C-FIND): QIDO searches against the real Orthanc, sorting, paging info, series expansion,
// and the error a PACS that is down produces.
import { test, expect, startPacsDownServer } from './harness/fixtures';

async function qidoCount(request: import('@playwright/test').APIRequestContext, orthancUrl: string, query: string) {
  const res = await request.get(`${orthancUrl}/dicom-web/studies?${query}`, { headers: { Accept: 'application/dicom+json' } });
  expect(res.ok()).toBe(true);
  const text = await res.text();
  return text.trim() ? (JSON.parse(text) as unknown[]).length : 0;
}

test('lists every study, newest first, with the count', async ({ page, manifest, errors }) => {
  await page.goto('/');
  const rows = page.getByTestId('study-row');
  await expect(rows).toHaveCount(Math.min(50, manifest.studyCount));
  await expect(page.getByTestId('result-count')).toContainText(`of ${manifest.studyCount}`);
  const dates = await rows.locator('[data-col=studyDate]').allInnerTexts();
  expect(dates.filter(Boolean)).toEqual([...dates.filter(Boolean)].sort().reverse());
  errors.expectNone();
});

test('searches by patient name with a prefix match, case-insensitively', async ({ page, manifest, errors }) => {
  await page.goto('/');
  await page.getByLabel('Patient name').fill('ts^jpeg-ls');
  await page.getByRole('button', { name: 'Search' }).click();
  const expected = manifest.studies.filter((s) => s.patientName.toUpperCase().startsWith('TS^JPEG-LS'));
  expect(expected.length).toBeGreaterThanOrEqual(2);
  await expect(page.getByTestId('study-row')).toHaveCount(expected.length);
  const names = await page.getByTestId('study-row').locator('[data-col=patientName]').allInnerTexts();
  for (const n of names) expect(n).toMatch(/^TS, jpeg-ls/);
  // Filters are PHI: they stay out of the address bar and out of storage.
  expect(page.url()).not.toContain('jpeg');
  expect(await page.evaluate(() => localStorage.length + sessionStorage.length)).toBe(0);
  errors.expectNone();
});

/** The demo chest CT as the PACS lists it: its name, ID and accession number. */
async function chestStudy(request: import('@playwright/test').APIRequestContext, orthancUrl: string, manifest: import('./harness/manifest').Manifest) {
  const uid = manifest.ct!.studyInstanceUID;
  const res = await request.get(`${orthancUrl}/dicom-web/studies?StudyInstanceUID=${uid}`, { headers: { Accept: 'application/dicom+json' } });
  const [study] = (await res.json()) as Record<string, { Value?: unknown[] }>[];
  const text = (tag: string) => String(study?.[tag]?.Value?.[0] ?? '');
  return { uid, patientId: text('00100020'), accession: text('00080050'), date: text('00080020'), name: 'DEMO^CHEST' };
}

test('the quick search finds a study by part of the name, its description, the patient ID or the accession number', async ({ page, request, orthancUrl, manifest, errors }) => {
  const chest = await chestStudy(request, orthancUrl, manifest);
  expect(chest.accession).not.toBe('');
  await page.goto('/');
  await expect(page.getByTestId('study-row').first()).toBeVisible();
  const quick = page.getByLabel('Quick search');
  // The demo chest CT is DEMO^CHEST, "CT CHEST ABDOMEN WITH CONTRAST": "chest" is in its name and its description,
  // "abdomen" only in the description, "mo che" only in the name (in order, across the ^).
  for (const text of ['chest', 'abdomen', 'mo che', chest.patientId, chest.accession.toLowerCase()]) {
    await quick.fill(text);
    await quick.press('Enter');
    const rows = page.getByTestId('study-row');
    await expect(rows, text).toHaveCount(1);
    await expect(rows.locator('[data-col=patientId]'), text).toHaveText(chest.patientId);
    await expect(page.getByTestId('result-count')).toContainText('of 1 study');
  }
  // An ID matches whole: its start finds nothing, and the wildcard form is offered, which finds the demo patients.
  await quick.fill('DEMO-00');
  await quick.press('Enter');
  await expect(page.getByTestId('worklist-empty')).toBeVisible();
  await page.screenshot({ path: test.info().outputPath('quick-search-empty.png') });
  await page.getByTestId('wildcard-suggestion').getByRole('button', { name: 'DEMO-00*' }).click();
  await expect(quick).toHaveValue('DEMO-00*');
  const demo = manifest.studies.filter((st) => st.patientId.startsWith('DEMO-00'));
  expect(demo.length).toBeGreaterThanOrEqual(3);
  await expect(page.getByTestId('study-row')).toHaveCount(demo.length);
  await page.screenshot({ path: test.info().outputPath('quick-search.png') });
  // The name field matches from the start of the family name and says so; the wildcard form is offered.
  await expect(page.getByLabel('Patient name')).toHaveAccessibleDescription('family name first; * for any text');
  await page.getByRole('button', { name: 'Clear' }).click();
  await page.getByLabel('Patient name').fill('chest');
  await page.getByRole('button', { name: 'Search' }).click();
  await expect(page.getByTestId('worklist-empty')).toBeVisible();
  await page.getByTestId('wildcard-suggestion').getByRole('button', { name: '*chest*' }).click();
  await expect(page.getByTestId('study-row')).toHaveCount(1);
  // What was typed stays out of the address bar and storage.
  expect(page.url()).not.toMatch(/chest|DEMO/i);
  expect(await page.evaluate(() => localStorage.length + sessionStorage.length)).toBe(0);
  errors.expectNone();
});

test('study rows are links: UIDs only, a new tab on a middle or Ctrl click, the keyboard opens them here', async ({ page, context, request, orthancUrl, manifest, errors }) => {
  const chest = await chestStudy(request, orthancUrl, manifest);
  await page.goto('/');
  await page.getByLabel('Quick search').fill(chest.patientId);
  await page.getByLabel('Quick search').press('Enter');
  const row = page.getByTestId('study-row');
  await expect(row).toHaveCount(1);
  // A link in every cell that has text (an empty cell has none: a link without a name fails accessibility).
  const links = row.locator('a.row-link');
  await expect.poll(() => links.count()).toBeGreaterThanOrEqual(6);
  for (const link of await links.all()) expect((await link.textContent())?.trim()).not.toBe('');
  const href = await links.first().getAttribute('href');
  expect(href).toBe(`/viewer?StudyInstanceUIDs=${chest.uid}`);
  for (const link of await links.all()) expect(await link.getAttribute('href')).toBe(href);
  for (const phi of [chest.patientId, chest.accession, chest.date, 'DEMO', 'CHEST']) expect(href).not.toContain(phi);

  // A middle click on the patient ID, and a Ctrl click on the date, each open the study in a new tab.
  const clicks: [string, Parameters<import('@playwright/test').Locator['click']>[0]][] = [
    ['patientId', { button: 'middle' }],
    ['studyDate', { modifiers: ['Control'] }],
  ];
  for (const [col, options] of clicks) {
    const opened = context.waitForEvent('page');
    await row.locator(`[data-col=${col}] a`).click(options);
    const tab = await opened;
    await tab.waitForLoadState();
    expect(new URL(tab.url()).pathname + new URL(tab.url()).search).toBe(href);
    // The first tab shows that it is the right study; the second only needs the same address.
    if (col === 'description') {
      await expect(tab.getByTestId('viewport').first()).toHaveAttribute('data-series-uid', manifest.ct!.seriesInstanceUID, { timeout: 30_000 });
    }
    await tab.close();
  }
  // This tab stayed on the list.
  expect(new URL(page.url()).pathname).toBe('/');
  await expect(row).toHaveCount(1);

  // Keyboard: the row is one tab stop after its checkbox and expand button; Enter opens it in this tab.
  await row.getByTestId('expand-study').focus();
  await page.keyboard.press('Tab');
  await expect(links.first()).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(new RegExp(`/viewer\\?StudyInstanceUIDs=${chest.uid.replace(/\./g, '\\.')}$`));
  await expect(page.getByTestId('viewport').first()).toHaveAttribute('data-series-uid', manifest.ct!.seriesInstanceUID, { timeout: 30_000 });
  errors.expectNone();
});

test('filters by modality and by study date range, matching the PACS', async ({ page, request, orthancUrl, manifest, errors }) => {
  await page.goto('/');
  await page.getByLabel('Modality').selectOption('MR');
  await page.getByRole('button', { name: 'Search' }).click();
  const mr = await qidoCount(request, orthancUrl, 'ModalitiesInStudy=MR');
  expect(mr).toBeGreaterThan(0);
  await expect(page.getByTestId('study-row')).toHaveCount(mr);
  for (const m of await page.getByTestId('study-row').locator('[data-col=modalities]').allInnerTexts()) expect(m).toContain('MR');

  // A date range that includes some studies and excludes others.
  await page.getByRole('button', { name: 'Clear' }).click();
  await expect(page.getByTestId('study-row').first()).toBeVisible();
  const dates = (await page.getByTestId('study-row').locator('[data-col=studyDate]').allInnerTexts())
    .map((d) => d.slice(0, 10))
    .filter((d) => /^\d{4}-\d\d-\d\d$/.test(d))
    .sort();
  const from = dates[0]!;
  const to = dates[Math.floor(dates.length / 2)]!;
  await page.getByLabel('Study date from').fill(from);
  await page.getByLabel('to', { exact: true }).fill(to);
  await page.getByRole('button', { name: 'Search' }).click();
  const inRange = await qidoCount(request, orthancUrl, `StudyDate=${from.replace(/-/g, '')}-${to.replace(/-/g, '')}`);
  expect(inRange).toBeGreaterThan(0);
  expect(inRange).toBeLessThan(manifest.studyCount);
  await expect(page.getByTestId('study-row')).toHaveCount(inRange);
  for (const d of await page.getByTestId('study-row').locator('[data-col=studyDate]').allInnerTexts()) {
    expect(d.slice(0, 10) >= from && d.slice(0, 10) <= to).toBe(true);
  }
  errors.expectNone();
});

test('sorts by a column and expands a study to its series', async ({ page, manifest, errors }) => {
  await page.goto('/');
  await expect(page.getByTestId('study-row').first()).toBeVisible();
  await page.getByRole('button', { name: /^Patient name/ }).click();
  const names = await page.getByTestId('study-row').locator('[data-col=patientName]').allInnerTexts();
  expect(names).toEqual([...names].sort((a, b) => a.localeCompare(b, undefined, { sensitivity: 'base', numeric: true })));

  const corrupt = manifest.studies.find((s) => s.labels.includes('corrupt-bad'))!;
  await page.getByLabel('Patient name').fill(corrupt.patientName);
  await page.getByRole('button', { name: 'Search' }).click();
  await expect(page.getByTestId('study-row')).toHaveCount(1);
  await page.getByTestId('expand-study').click();
  await expect(page.getByTestId('series-list').locator('li')).toHaveCount(corrupt.seriesCount);
  errors.expectNone();
});

test('a data source answering 404 gives an error naming the URL and status', async ({ page, errors }) => {
  errors.ignore('Failed to load resource');
  await page.goto('/');
  await page.getByTestId('datasource-select').selectOption('down');
  const banner = page.getByTestId('worklist-error');
  await expect(banner).toContainText('/down/dicom-web/studies');
  await expect(banner).toContainText('404');
  errors.expectNone();
});

test('a PACS that cannot be reached gives an error naming the URL and status', async ({ browser }) => {
  const down = await startPacsDownServer();
  try {
    const page = await browser.newPage();
    await page.goto(down.url + '/');
    const banner = page.getByTestId('worklist-error');
    await expect(banner).toContainText(`${down.url}/dicom-web/studies`);
    await expect(banner).toContainText('502');
    await expect(banner).toContainText(/unreachable|ECONNREFUSED/);
    await page.close();
  } finally {
    await down.stop();
  }
});

test('the connection check passes on the real Orthanc and explains a broken data source', async ({ page, errors }) => {
  errors.ignore('Failed to load resource');
  await page.goto('/');
  await page.getByTestId('check-connection').click();
  const check = page.getByTestId('connection-check');
  for (const step of ['qido', 'metadata', 'frame', 'transfer-syntax', 'stow', 'cors']) {
    await expect(check.locator(`[data-step=${step}]`)).toHaveAttribute('data-result', 'pass', { timeout: 30_000 });
  }
  await expect(check.locator('[data-step=transfer-syntax]')).toContainText('1.2.840.10008.1.2');
  await page.keyboard.press('Escape');

  await page.getByTestId('datasource-select').selectOption('down');
  await expect(page.getByTestId('worklist-error')).toBeVisible();
  // The check runs by itself under the error and lists what failed, with the hint.
  const auto = page.getByTestId('auto-check');
  await expect(auto).toHaveAttribute('data-state', 'done', { timeout: 30_000 });
  await expect(auto.locator('[data-step=qido]')).toHaveAttribute('data-result', 'fail');
  await expect(auto.locator('[data-step=qido]')).toContainText('check qidoRoot in config.json');
  await expect(auto.locator('[data-result=pass]')).toHaveCount(0);
  await auto.getByRole('button', { name: 'Show the whole check' }).click();
  await expect(check.locator('[data-step=qido]')).toHaveAttribute('data-result', 'fail', { timeout: 30_000 });
  await expect(check.locator('[data-step=qido]')).toContainText('/down/dicom-web/studies answered 404');
  await expect(check.locator('[data-step=qido]')).toContainText('check qidoRoot in config.json');
  await expect(check.locator('[data-step=metadata]')).toHaveAttribute('data-result', 'skip');
  errors.expectNone();
});
