// config.json is validated at start-up: an invalid file stops the app with every problem and its path.
import { test, expect, startServe } from './harness/fixtures';

test('an invalid config.json is reported field by field', async ({ browser }) => {
  const server = await startServe({
    config: { dataSources: [{ name: 'bad name', qidoRoot: '/dicom-web' }], worklistPageSize: 0 },
  });
  try {
    const page = await browser.newPage();
    await page.goto(server.url + '/');
    const box = page.getByTestId('config-error');
    await expect(box).toContainText('config.json is not valid');
    await expect(box).toContainText('dataSources.0.name');
    await expect(box).toContainText('dataSources.0.wadoRoot');
    await expect(box).toContainText('worklistPageSize');
    await page.close();
  } finally {
    await server.stop();
  }
});
