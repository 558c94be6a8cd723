import type { BrowserContext, Page } from '@playwright/test';

/** config.json as the tests change it: its fields, data sources among them. */
export type AppConfigJson = Record<string, unknown> & { dataSources?: Record<string, unknown>[] };

/**
 * Serves every config.json that `target` (one page, or every page of a context) reads with `patch` applied to what
 * the server sent: what a site's config would set. An answer that is not a JSON object (an error, a broken file a
 * test serves) goes through unchanged. A page's route takes precedence over its context's.
 */
export async function patchConfig(target: Page | BrowserContext, patch: (config: AppConfigJson) => AppConfigJson): Promise<void> {
  await target.route(/\/config\.json(\?|$)/, async (route) => {
    const response = await route.fetch();
    let json: unknown;
    try {
      json = await response.json();
    } catch {
      return route.fulfill({ response });
    }
    if (!response.ok() || !json || typeof json !== 'object' || Array.isArray(json)) return route.fulfill({ response });
    return route.fulfill({ response, json: patch(json as AppConfigJson) });
  });
}

/** A patch for `patchConfig` that changes one data source's fields (by its name). */
export function withDataSource(name: string, fields: Record<string, unknown>): (config: AppConfigJson) => AppConfigJson {
  return (config) => ({ ...config, dataSources: (config.dataSources ?? []).map((d) => (d.name === name ? { ...d, ...fields } : d)) });
}
