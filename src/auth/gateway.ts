// The gateway's own API beside DICOMweb (gateway/signIn.mjs, gateway/audit.mjs): who the gateway takes the user
// for, the export check, and what only the browser sees for the audit trail. Same origin; the token in a header.
import { z } from '../zod';

const sessionSchema = z.object({
  user: z.object({ id: z.string(), name: z.string() }),
  roles: z.array(z.string()),
  scope: z.nullable(z.object({ studies: z.array(z.string()), patients: z.array(z.string()) })),
  sharing: z._default(z.boolean(), false),
});

/** What the gateway allows this user (GET /api/session). */
export interface GatewaySession {
  user: { id: string; name: string };
  roles: string[];
  /** Limited to these studies or patients' studies; null: every study. */
  scope: { studies: string[]; patients: string[] } | null;
  /** May create share grants. */
  sharing: boolean;
}

/** A refusal or failure of the gateway's API, with its status (0: no answer). */
export class GatewayApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'GatewayApiError';
  }
}

/** The request header a study grant travels in (never a query string: gateway/grants.mjs). */
export const GRANT_HEADER = 'Lumen-Grant';

async function call(path: string, token: string | undefined, init: { method?: string; body?: unknown; grant?: string } = {}): Promise<Response> {
  let response: Response;
  try {
    response = await fetch(path, {
      method: init.method ?? 'GET',
      headers: {
        ...(token ? { Authorization: `Bearer ${token}` } : {}),
        ...(init.grant ? { [GRANT_HEADER]: init.grant } : {}),
        ...(init.body !== undefined ? { 'Content-Type': 'application/json' } : {}),
      },
      body: init.body !== undefined ? JSON.stringify(init.body) : undefined,
      credentials: 'same-origin',
      cache: 'no-store',
    });
  } catch (e) {
    throw new GatewayApiError(0, `${path}: no answer (${e instanceof Error ? e.message : 'network error'})`);
  }
  if (!response.ok) {
    const text = (await response.text().catch(() => '')).slice(0, 200);
    throw new GatewayApiError(response.status, `${path}: ${response.status} ${text || response.statusText}`);
  }
  return response;
}

export async function fetchGatewaySession(token: string | undefined, grant?: string): Promise<GatewaySession> {
  const r = sessionSchema.safeParse(await (await call('/api/session', token, { grant })).json());
  if (!r.success) throw new GatewayApiError(200, '/api/session: an answer this viewer does not understand');
  return r.data;
}

/** Asks the gateway whether this user may export these studies (it records the answer). */
export async function mayExport(token: string | undefined, studyInstanceUIDs: string[]): Promise<void> {
  for (const studyInstanceUID of studyInstanceUIDs) await call('/api/actions/export', token, { method: 'POST', body: { studyInstanceUID } });
}

export type AuditReport = {
  type: 'export' | 'deidentified-export' | 'local-upload' | 'sign-in' | 'sign-out';
  outcome?: 'success' | 'failure';
  studies?: { studyInstanceUid: string; patientId?: string; instances?: number }[];
};

/** Tells the gateway's audit trail what only the browser saw (export, de-identification, upload, sign-in/out). */
export async function reportToAudit(token: string | undefined, report: AuditReport): Promise<void> {
  await call('/api/audit', token, { method: 'POST', body: report });
}

const grantSchema = z.object({ grant: z.string(), expiresAt: z.string() });

/**
 * A signed grant that opens one study for one recipient (e-mail or subject), valid `lifetimeS` seconds
 * (POST /api/grants; the sharing role only).
 */
export async function createGrant(
  token: string | undefined,
  studyInstanceUID: string,
  recipient: string,
  lifetimeS: number,
): Promise<{ grant: string; expiresAt: string }> {
  const r = grantSchema.safeParse(await (await call('/api/grants', token, { method: 'POST', body: { studyInstanceUID, recipient, lifetime: lifetimeS } })).json());
  if (!r.success) throw new GatewayApiError(201, '/api/grants: an answer this viewer does not understand');
  return r.data;
}

/**
 * The grant a share link carries in its fragment (`#grant=…`): the fragment never reaches a server or its logs.
 * Returns the grant and the fragment without it.
 */
export function grantFromFragment(hash: string): { grant?: string; rest: string } {
  const params = new URLSearchParams(hash.replace(/^#/, ''));
  const grant = params.get('grant') ?? undefined;
  params.delete('grant');
  const rest = params.toString();
  return { grant: grant && /^[A-Za-z0-9._-]{20,4096}$/.test(grant) ? grant : undefined, rest: rest ? `#${rest}` : '' };
}
