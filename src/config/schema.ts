import { oidcSchema } from '../auth/config';
import { dataSourceSchema, type DataSourceConfig } from '../dicomweb/dataSource';
import { protocolsSchema } from '../model/hangingProtocols';
import { sitePresetsSchema } from '../model/windowPresets';
import { LANGUAGES, NUMERALS } from '../i18n/languages';
import { z } from '../zod';

export const configSchema = z
  .strictObject({
    dataSources: z.array(dataSourceSchema).check(z.minLength(1, 'list at least one data source')),
    /** `name` of the data source the worklist opens with; the first one when omitted. */
    defaultDataSource: z.optional(z.string()),
    /** Rows per worklist page (QIDO limit). */
    worklistPageSize: z._default(z.int().check(z.minimum(1), z.maximum(1000)), 50),
    /** Decode workers; 0 = one per core, at most 4. */
    maxWebWorkers: z._default(z.int().check(z.minimum(0), z.maximum(16)), 0),
    /** Longest one frame may take to decode before it is failed and its worker replaced (a corrupt codestream). */
    decodeTimeoutSeconds: z._default(z.number().check(z.minimum(1), z.maximum(600)), 20),
    /**
     * Viewing only: measurement tools, saving and editing are hidden (links for referring doctors can ask for the
     * same with `&readonly=1`). A user interface mode, not access control: the PACS decides who may store.
     */
    readOnly: z._default(z.boolean(), false),
    /**
     * Memory for decoded images (MB). A series whose volume needs more is not reformatted (MPR says so); stacks
     * evict least recently used images.
     */
    cacheBudgetMB: z._default(z.int().check(z.minimum(128), z.maximum(16384)), 1024),
    /**
     * Where stack viewports draw: `auto` uses the CPU when WebGL is missing or is a software rasterizer (no GPU, as
     * on virtual desktops), where it scrolls faster; `gpu` and `cpu` force one. MPR and 3D always use WebGL.
     */
    stackRendering: z._default(z.enum(['auto', 'cpu', 'gpu']), 'auto'),
    /**
     * Hanging protocols of the site (docs/configuration.md, "Hanging protocols"), tried before the built-in ones; one with a
     * built-in's id replaces it.
     */
    hangingProtocols: z.optional(protocolsSchema),
    /**
     * W/L presets of number keys 1–5 by modality (`"CT"`, `"MR"`, `"*"` for any other), each a preset name or
     * `{ "label", "center", "width" }`; without it the keys give soft tissue, lung, liver, bone and brain.
     */
    windowPresets: z.optional(sitePresetsSchema),
    /** Opens the study's newest measurement report (DICOM SR) with the study, instead of on request. */
    autoLoadMeasurementReports: z._default(z.boolean(), false),
    /**
     * Sign-in with an OpenID provider (docs/sign-in.md); off when absent. The gateway must be started with the same
     * issuer: it checks the token on every request.
     */
    oidc: z.optional(oidcSchema),
    /** The one language of this deployment (no language menu); else the reader's choice or the browser's. */
    language: z.optional(z.enum(LANGUAGES)),
    /** The languages the menu offers (all the app has when absent); the browser's language is matched among them. */
    languages: z.optional(z.array(z.enum(LANGUAGES)).check(z.minLength(1, 'list at least one language'))),
    /** Digit shapes of dates and numbers: "latn" (0–9) or "arab" (Arabic-Indic ٠–٩, in Arabic). */
    numerals: z._default(z.enum(NUMERALS), 'latn'),
  })
  .check(
    z.superRefine((cfg, ctx) => {
      const names = new Set<string>();
      cfg.dataSources.forEach((ds, i) => {
        if (ds.kind === 'local') {
          ctx.addIssue({ code: 'custom', path: ['dataSources', i, 'kind'], message: '"local" is the kind of the files opened from this computer, which the app adds itself' });
        }
        if (ds.name === 'local') {
          ctx.addIssue({ code: 'custom', path: ['dataSources', i, 'name'], message: '"local" is the name of the files opened from this computer: choose another' });
        }
        if (names.has(ds.name)) {
          ctx.addIssue({ code: 'custom', path: ['dataSources', i, 'name'], message: `duplicate name "${ds.name}"` });
        }
        names.add(ds.name);
      });
      if (cfg.language && cfg.languages && !cfg.languages.includes(cfg.language)) {
        ctx.addIssue({ code: 'custom', path: ['language'], message: `"${cfg.language}" is not one of "languages" (${cfg.languages.join(', ')})` });
      }
      if (cfg.defaultDataSource && !names.has(cfg.defaultDataSource)) {
        ctx.addIssue({
          code: 'custom',
          path: ['defaultDataSource'],
          message: `"${cfg.defaultDataSource}" is not one of the data sources (${[...names].join(', ')})`,
        });
      }
    }),
  );

export type AppConfig = z.infer<typeof configSchema>;

/** ConfigError's message for a file that does not match the schema (the app shows it in the reader's language). */
export const CONFIG_INVALID = 'config.json is not valid';

export class ConfigError extends Error {
  constructor(
    message: string,
    readonly details: string[],
  ) {
    super(message);
    this.name = 'ConfigError';
  }
}

/** Validates parsed JSON; throws ConfigError listing every problem with its path. */
export function parseConfig(json: unknown): AppConfig {
  const result = configSchema.safeParse(json);
  if (result.success) return result.data;
  const details = result.error.issues.map((issue) => {
    const where = issue.path.length ? issue.path.join('.') : '(top level)';
    return `${where}: ${issue.message}`;
  });
  throw new ConfigError(CONFIG_INVALID, details);
}

export function defaultDataSourceOf(cfg: AppConfig): DataSourceConfig {
  const ds = cfg.dataSources.find((d) => d.name === cfg.defaultDataSource) ?? cfg.dataSources[0];
  if (!ds) throw new ConfigError(CONFIG_INVALID, ['dataSources: list at least one data source']);
  return ds;
}
