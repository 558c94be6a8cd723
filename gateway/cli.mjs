// @ts-check
// Starting the gateway from a command line: settings checked (options.mjs), the server built (server.mjs) and
// listening, a start-up line that says what is forwarded and warns about plain HTTP off loopback.
import fs from 'node:fs';
import { checkSignIn } from './auth.mjs';
import { readGrantKeys } from './grants.mjs';
import os from 'node:os';
import path from 'node:path';
import { buildGateway } from './server.mjs';
import {
  authorizationFile, defaultAllowedHosts, isLoopback, outsideServed, pacsAuthorization, parseArgs, parseAuditForward, parsePacsUrl, redact, USAGE,
} from './options.mjs';

/**
 * Parses, checks and starts; resolves with the listening gateway. Throws (with a message for the operator) on a
 * bad setting.
 * @param {string[]} argv
 * @param {{ env?: Record<string, string | undefined>, extraMounts?: import('./options.mjs').Mount[], banner?: string }} [o]
 */
export async function startGateway(argv, o = {}) {
  const env = o.env ?? process.env;
  const args = parseArgs(argv, env);
  args.mounts.push(...(o.extraMounts ?? []));
  const pacsUrl = args.pacs ? parsePacsUrl(args.pacs) : undefined;
  const read = (/** @type {string} */ f, /** @type {string} */ what) => {
    try {
      return fs.readFileSync(f);
    } catch (e) {
      throw new Error(`cannot read ${what} ${f}: ${/** @type {Error} */ (e).message}`);
    }
  };
  const served = [args.root, ...args.mounts.map((m) => m.dir)];
  const authorization = pacsAuthorization(args, env, served);
  const signInConfig = checkSignIn(args.signIn);
  const signIn = signInConfig && {
    ...signInConfig,
    ...(args.signIn.grantKeyFile ? { grantKeys: readGrantKeys(args.signIn.grantKeyFile, served) } : {}),
  };
  // The audit trail holds patient data: never where the gateway serves files from.
  const auditForward = args.auditForward ? parseAuditForward(args.auditForward) : undefined;
  const auditSpool = args.auditSpool || (args.auditFile ? path.dirname(path.resolve(args.auditFile)) : '');
  if (args.auditFile) outsideServed(args.auditFile, 'the audit file', served);
  if (auditForward) outsideServed(auditSpool, 'the audit spool folder', served);
  const app = await buildGateway({
    root: args.root,
    config: args.config,
    mounts: args.mounts,
    pacs: pacsUrl ? { url: pacsUrl, authorization, ca: args.pacsCa ? read(args.pacsCa, 'the PACS CA file') : undefined } : undefined,
    allowedHosts: args.allowedHosts.length ? args.allowedHosts : defaultAllowedHosts(args.host),
    readOnly: args.readOnly,
    maxUploadBytes: args.maxUploadMB * 2 ** 20,
    clientConcurrency: args.clientConcurrency,
    clientQueue: args.clientQueue,
    upstreamTimeoutMs: args.upstreamTimeoutS * 1000,
    tls: args.tlsCert ? { cert: read(args.tlsCert, 'the TLS certificate'), key: read(args.tlsKey, 'the TLS key') } : undefined,
    trustProxy: args.trustProxy,
    signIn,
    audit: args.auditFile
      ? {
          file: args.auditFile,
          instance: args.auditInstance || `${os.hostname()}-${args.port}`.replace(/[^A-Za-z0-9._-]/g, '_'),
          idleMs: args.auditIdleS * 1000,
          forward: auditForward
            ? {
                url: auditForward,
                spoolDir: auditSpool,
                authorization: args.auditForwardAuthFile ? authorizationFile(args.auditForwardAuthFile, 'audit endpoint credentials file', served) : undefined,
              }
            : undefined,
        }
      : undefined,
  });
  await app.listen({ port: args.port, host: args.host });
  const addr = app.server.address();
  const port = typeof addr === 'object' && addr ? addr.port : args.port;
  const scheme = args.tlsCert ? 'https' : 'http';
  const shownHost = args.host.includes(':') ? `[${args.host}]` : args.host;
  console.log(`${o.banner ?? 'Viewer'}: ${scheme}://${shownHost}:${port}/`);
  if (pacsUrl) console.log(`  /dicom-web → ${redact(pacsUrl.href)} (DICOMweb only${authorization ? ', with the PACS credentials given' : ''})`);
  if (signIn) {
    console.log(`  sign-in: tokens from ${signIn.issuer} for ${signIn.audience.join(', ')}${signIn.grantKeys ? '; study grants on' : ''}`);
  }
  if (args.auditFile) console.log(`  audit trail → ${args.auditFile}${auditForward ? ` and ${redact(auditForward.href)}` : ''}`);
  if (!args.tlsCert && !isLoopback(args.host)) {
    console.warn(`  WARNING: plain HTTP on ${args.host}: patient data and sign-in would cross the network unencrypted.`);
    console.warn('  Give --tls-cert/--tls-key, or put the nginx recipe (docs/deployment.md) in front and bind to 127.0.0.1.');
  }
  for (const sig of ['SIGINT', 'SIGTERM']) process.once(sig, () => void app.close().then(() => process.exit(0)));
  // A fault inside one request must not take every reader's images down: say it, and keep serving.
  process.on('uncaughtException', (e) => console.error(`gateway: uncaught ${e.name}: ${e.message}`));
  process.on('unhandledRejection', (e) => console.error(`gateway: unhandled rejection: ${e instanceof Error ? e.message : String(e)}`));
  return app;
}

/** For scripts: start, or print the problem and exit 2. @param {Parameters<typeof startGateway>} a */
export async function main(...a) {
  try {
    return await startGateway(...a);
  } catch (e) {
    const msg = /** @type {Error} */ (e).message;
    console.error(msg === USAGE ? USAGE : `gateway: ${msg}`);
    process.exit(2);
  }
}
