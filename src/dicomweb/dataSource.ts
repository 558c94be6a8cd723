// A data source as config.json describes it (one entry of `dataSources`): the DICOMweb client's settings. The schema
// lives beside the client that reads it; config/schema.ts puts it in config.json's schema.
import { nonEmpty, z } from '../zod';

/** One DICOMweb endpoint set. Field names follow the conventions PACS admins know from other viewers. */
export const dataSourceSchema = z.strictObject({
  /** Short id used in links (`&datasource=<name>`): letters, digits, '-' and '_'. */
  name: z.string().check(z.regex(/^[A-Za-z0-9_-]+$/, 'use letters, digits, "-" or "_"')),
  /** What the data-source selector shows. */
  label: z.optional(nonEmpty()),
  /**
   * `dicomweb`: a live QIDO/WADO/STOW server. `static`: a tree written by `npm run import`
   * (collections are `index.json` files; filtering, sorting and paging happen in the browser). `local`: files opened
   * from this computer (the app adds that source itself; config.json cannot name it).
   */
  kind: z._default(z.enum(['dicomweb', 'static', 'local']), 'dicomweb'),
  qidoRoot: nonEmpty(),
  wadoRoot: nonEmpty(),
  stowRoot: z.optional(nonEmpty()),
  /** Static headers sent with every request (e.g. an API key a gateway wants). Never put tokens in URLs. */
  requestHeaders: z._default(z.record(z.string(), z.string()), {}),
  /** QIDO understands `includefield=`; when false the viewer asks for the default attribute set. */
  qidoSupportsIncludeField: z._default(z.boolean(), true),
  /** QIDO does fuzzy person-name matching (`fuzzymatching=true`). */
  supportsFuzzyMatching: z._default(z.boolean(), false),
  /** QIDO accepts `*` and `?` wildcards in attribute values. */
  supportsWildcard: z._default(z.boolean(), true),
  /** Some servers reject quoted `type="…"` parameters in multipart Accept headers. */
  omitQuotationForMultipartRequest: z._default(z.boolean(), false),
  /**
   * Transfer syntax to ask for frames in. `*` (default) takes what the server stores, which every server
   * supports; name a specific UID only when this server is known to transcode to it.
   */
  requestTransferSyntaxUID: z._default(z.string().check(z.regex(/^(\*|[0-9.]+)$/)), '*'),
  /**
   * Retrieve each stack's series in one request (WADO-RS retrieve series: every instance as a Part 10 file) after
   * its first images, instead of one request per frame; frames it does not bring load one by one. Far fewer
   * requests for a long CT; the server must offer series retrieval (Orthanc, dcm4chee and cloud PACS do).
   */
  bulkRetrieve: z._default(z.boolean(), false),
});

export type DataSourceConfig = z.infer<typeof dataSourceSchema>;
