// A gateway (scripts/serve.mjs over the production build) with sign-in and an audit trail, for specs that start their
// own: verified against a provider (e2e/harness/oidc.ts or any issuer), in front of a PACS (the shared Orthanc),
// serving whatever config.json object the spec gives (the app's `oidc` block included).
import path from 'node:path';
import { startServe, testAppConfig, type ServeHandle } from './serve';
import { readAuditFile, type AuditEvent } from './auditTrail';

export interface SignInGatewayOptions {
  /** The PACS's DICOMweb root (e.g. the run's orthancDicomWebUrl). */
  pacs: string;
  /** --oidc-issuer */
  issuer: string;
  /** --oidc-audience (one or more). */
  audience: string | string[];
  /** config.json as served, any object (default testAppConfig()). */
  config?: Record<string, unknown>;
  /** --oidc-roles-claim (the gateway's default is `roles`, which e2e/harness/oidc.ts issues). */
  rolesClaim?: string;
  /** --audit-instance: the name in its events and spool (default the gateway's host and port). */
  instance?: string;
  /** --audit-forward: e.g. a FhirSink's url. */
  auditForward?: string;
  /** --audit-idle: seconds before a study's access event is written (default 1, so tests need not wait). */
  auditIdleS?: number;
  /**
   * --oidc-clock-tolerance in seconds (default 0: the provider shares this machine's clock, so a token that expires
   * within seconds is refused at once; the gateway's own default is 30).
   */
  clockToleranceS?: number;
  /** --trust-proxy: e.g. 127.0.0.1 behind nginx. */
  trustProxy?: string;
  port?: number;
  /** Any other gateway options. */
  args?: string[];
}

export interface SignInGateway extends ServeHandle {
  /** The audit file (in the gateway's temporary folder: read it before stop()). */
  auditFile: string;
  /** Every event written so far. */
  audit(): AuditEvent[];
}

export async function startSignInGateway(o: SignInGatewayOptions): Promise<SignInGateway> {
  const args = ['--oidc-issuer', o.issuer];
  for (const a of Array.isArray(o.audience) ? o.audience : [o.audience]) args.push('--oidc-audience', a);
  if (o.rolesClaim) args.push('--oidc-roles-claim', o.rolesClaim);
  args.push('--oidc-clock-tolerance', String(o.clockToleranceS ?? 0));
  if (o.instance) args.push('--audit-instance', o.instance);
  if (o.auditForward) args.push('--audit-forward', o.auditForward);
  args.push('--audit-idle', String(o.auditIdleS ?? 1));
  if (o.trustProxy) args.push('--trust-proxy', o.trustProxy);
  args.push(...(o.args ?? []));
  const serve = await startServe({
    pacs: o.pacs,
    port: o.port,
    config: o.config ?? testAppConfig(),
    args,
    // The spool goes beside the audit file (the gateway's default).
    argsIn: (dir) => ['--audit-file', path.join(dir, 'audit.jsonl')],
  });
  const auditFile = path.join(serve.dir, 'audit.jsonl');
  return { ...serve, auditFile, audit: () => readAuditFile(auditFile) };
}
