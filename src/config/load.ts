import { ConfigError, parseConfig, type AppConfig } from './schema';

/**
 * Reads /config.json (beside index.html), so a deployment points at its PACS without a rebuild. From the site's
 * root, whatever the page's path (the sign-in callback is /auth/callback).
 */
export async function loadConfig(url = new URL('/config.json', document.baseURI).href): Promise<AppConfig> {
  let response: Response;
  try {
    response = await fetch(url, { cache: 'no-cache' });
  } catch (e) {
    throw new ConfigError(`Could not load ${url}`, [e instanceof Error ? e.message : String(e)]);
  }
  if (!response.ok) throw new ConfigError(`Could not load ${url}`, [`HTTP ${response.status} ${response.statusText}`]);
  let json: unknown;
  try {
    json = JSON.parse(await response.text());
  } catch (e) {
    throw new ConfigError(`${url} is not valid JSON`, [e instanceof Error ? e.message : String(e)]);
  }
  return parseConfig(json);
}
