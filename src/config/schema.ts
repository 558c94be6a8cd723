import { z } from 'zod';
import { protocolsSchema } from '../model/hangingProtocols';

/** One DICOMweb endpoint set. Field names follow the conventions PACS admins know from other viewers. */
export const dataSourceSchema = z
  .object({
    /** Short id used in links (`&datasource=<name>`): letters, digits, '-' and '_'. */
    name: z.string().regex(/^[A-Za-z0-9_-]+$/, 'use letters, digits, "-" or "_"'),
    /** What the data-source selector shows. */
    label: z.string().min(1).optional(),
    /**
     * `dicomweb`: a live QIDO/WADO/STOW server. `static`: a tree written by `npm run import`
     * (collections are `index.json` files; filtering, sorting and paging happen in the browser). `local`: files opened
     * from this computer (the app adds that source itself; config.json cannot name it).
     */
    kind: z.enum(['dicomweb', 'static', 'local']).default('dicomweb'),
    qidoRoot: z.string().min(1),
    wadoRoot: z.string().min(1),
    stowRoot: z.string().min(1).optional(),
    /** Static headers sent with every request (e.g. an API key a gateway wants). Never put tokens in URLs. */
    requestHeaders: z.record(z.string(), z.string()).default({}),
    /** QIDO understands `includefield=`; when false the viewer asks for the default attribute set. */
    qidoSupportsIncludeField: z.boolean().default(true),
    /** QIDO does fuzzy person-name matching (`fuzzymatching=true`). */
    supportsFuzzyMatching: z.boolean().default(false),
    /** QIDO accepts `*` and `?` wildcards in attribute values. */
    supportsWildcard: z.boolean().default(true),
    /** Some servers reject quoted `type="…"` parameters in multipart Accept headers. */
    omitQuotationForMultipartRequest: z.boolean().default(false),
    /**
     * Transfer syntax to ask for frames in. `*` (default) takes what the server stores, which every server
     * supports; name a specific UID only when this server is known to transcode to it.
     */
    requestTransferSyntaxUID: z.string().regex(/^(\*|[0-9.]+)$/).default('*'),
  })
  .strict();

export const configSchema = z
  .object({
    dataSources: z.array(dataSourceSchema).min(1, 'list at least one data source'),
    /** `name` of the data source the worklist opens with; the first one when omitted. */
    defaultDataSource: z.string().optional(),
    /** Rows per worklist page (QIDO limit). */
    worklistPageSize: z.number().int().min(1).max(1000).default(50),
    /** Decode workers; 0 = one per core, at most 4. */
    maxWebWorkers: z.number().int().min(0).max(16).default(0),
    /** Longest one frame may take to decode before it is failed and its worker replaced (a corrupt codestream). */
    decodeTimeoutSeconds: z.number().min(1).max(600).default(20),
    /**
     * Viewing only: measurement tools, saving and editing are hidden (links for referring doctors can ask for the
     * same with `&readonly=1`). A user interface mode, not access control: the PACS decides who may store.
     */
    readOnly: z.boolean().default(false),
    /**
     * Memory for decoded images (MB). A series whose volume needs more is not reformatted (MPR says so); stacks
     * evict least recently used images.
     */
    cacheBudgetMB: z.number().int().min(128).max(16384).default(1024),
    /**
     * Hanging protocols of the site (README, "Hanging protocols"), tried before the built-in ones; one with a
     * built-in's id replaces it.
     */
    hangingProtocols: protocolsSchema.optional(),
    /** Opens the study's newest measurement report (DICOM SR) with the study, instead of on request. */
    autoLoadMeasurementReports: z.boolean().default(false),
  })
  .strict()
  .superRefine((cfg, ctx) => {
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
    if (cfg.defaultDataSource && !names.has(cfg.defaultDataSource)) {
      ctx.addIssue({
        code: 'custom',
        path: ['defaultDataSource'],
        message: `"${cfg.defaultDataSource}" is not one of the data sources (${[...names].join(', ')})`,
      });
    }
  });

export type DataSourceConfig = z.infer<typeof dataSourceSchema>;
export type AppConfig = z.infer<typeof configSchema>;

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
  throw new ConfigError('config.json is not valid', details);
}

export function defaultDataSourceOf(cfg: AppConfig): DataSourceConfig {
  const ds = cfg.dataSources.find((d) => d.name === cfg.defaultDataSource) ?? cfg.dataSources[0];
  if (!ds) throw new ConfigError('config.json is not valid', ['dataSources: list at least one data source']);
  return ds;
}
