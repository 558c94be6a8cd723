// @ts-check
// `npm run dev` only: Vite's dev server serves the demo DICOMweb tree the way the gateway's static mount does
// (same media types, nothing outside the folder). Production never uses this: the gateway serves mounts itself.
import fs from 'node:fs';
import path from 'node:path';
import { contentTypeFor } from './policy.mjs';

/**
 * Serves `req` from `mount.dir` when its path is under `mount.prefix`; false otherwise (the next middleware runs).
 * @param {import('node:http').IncomingMessage} req
 * @param {import('node:http').ServerResponse} res
 * @param {{ prefix: string, dir: string }} mount
 */
export function serveMount(req, res, mount) {
  const urlPath = (req.url || '/').split('?')[0] ?? '/';
  if (!urlPath.startsWith(mount.prefix + '/')) return false;
  const rel = urlPath.slice(mount.prefix.length);
  const file = path.join(mount.dir, rel);
  let ok = false;
  try {
    const real = fs.realpathSync(file);
    ok = !/%|\\|(^|\/)\.\.?(\/|$)/.test(rel) && real.startsWith(fs.realpathSync(mount.dir) + path.sep) && fs.statSync(real).isFile();
  } catch {
    ok = false;
  }
  if (!ok) {
    res.writeHead(404, { 'Content-Type': 'text/plain' });
    res.end('not found');
    return true;
  }
  res.writeHead(200, { 'Content-Type': contentTypeFor(file), 'X-Content-Type-Options': 'nosniff' });
  fs.createReadStream(file).pipe(res);
  return true;
}
