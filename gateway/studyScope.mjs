// @ts-check
// Study-scoped access: whether a study lies in a user's scope (listed by Study Instance UID, or belonging to a
// listed Patient ID), and which entries of a QIDO answer such a user may see. A study's Patient ID is asked of the
// PACS once (QIDO, with the gateway's own PACS credentials) and remembered briefly, per study.
import http from 'node:http';
import https from 'node:https';

const STUDY_UID = '0020000D';
const PATIENT_ID = '00100020';

/** @typedef {{ studies: Set<string>, patients: Set<string> }} Scope */

/**
 * @param {{ url: URL, authorization?: string, ca?: string | Buffer } | undefined} pacs
 * @param {{ ttlMs?: number, maxEntries?: number }} [o]
 */
export function studyScope(pacs, o = {}) {
  const ttl = o.ttlMs ?? 60_000;
  const maxEntries = o.maxEntries ?? 10_000;
  /** @type {Map<string, { patient: string | null, until: number }>} */
  const cache = new Map();
  /** @type {Map<string, Promise<string | null>>} */
  const asking = new Map();

  /**
   * The Patient ID of `study` per the PACS; null when the PACS does not know the study. Rejects when the PACS
   * cannot be asked (the caller refuses: a scope that cannot be checked is not granted).
   * @param {string} study
   * @returns {Promise<string | null>}
   */
  const patientOf = async (study) => {
    const hit = cache.get(study);
    if (hit && hit.until > Date.now()) return hit.patient;
    let p = asking.get(study);
    if (!p) {
      p = askPacs(pacs, study).finally(() => asking.delete(study));
      asking.set(study, p);
    }
    const patient = await p;
    cache.delete(study);
    cache.set(study, { patient, until: Date.now() + ttl });
    // Oldest first out: a Map iterates in insertion order.
    while (cache.size > maxEntries) cache.delete(/** @type {string} */ (cache.keys().next().value));
    return patient;
  };

  /** Whether `study` is in `scope`. @param {Scope} scope @param {string} study */
  const allows = async (scope, study) => {
    if (scope.studies.has(study)) return true;
    if (!scope.patients.size) return false;
    const patient = await patientOf(study);
    return patient !== null && scope.patients.has(patient);
  };

  return {
    allows,
    patientOf,
    /**
     * The entries of a QIDO answer (DICOM JSON) that `scope` may see. An entry naming no study is dropped; one
     * naming its Patient ID is judged by it, one without by the study's Patient ID from the PACS.
     * @param {Scope} scope @param {unknown[]} entries
     */
    async filter(scope, entries) {
      const kept = [];
      for (const e of entries) {
        const study = valueOf(e, STUDY_UID);
        if (!study) continue;
        if (scope.studies.has(study)) kept.push(e);
        else if (scope.patients.size) {
          const patient = valueOf(e, PATIENT_ID) ?? (await patientOf(study));
          if (patient !== null && scope.patients.has(patient)) kept.push(e);
        }
      }
      return kept;
    },
    /** The attributes a search must return for `scope` to be checked on its entries. @param {Scope} scope */
    neededFields(scope) {
      return scope.patients.size ? [STUDY_UID, PATIENT_ID] : [STUDY_UID];
    },
  };
}

/** The first value of a DICOM JSON attribute, as a string. @param {unknown} entry @param {string} tag */
function valueOf(entry, tag) {
  const a = entry && typeof entry === 'object' ? /** @type {Record<string, { Value?: unknown[] }>} */ (entry)[tag] : undefined;
  const v = a?.Value?.[0];
  return typeof v === 'string' && v ? v : null;
}

/**
 * QIDO for one study's Patient ID.
 * @param {{ url: URL, authorization?: string, ca?: string | Buffer } | undefined} pacs @param {string} study
 * @returns {Promise<string | null>}
 */
function askPacs(pacs, study) {
  if (!pacs) return Promise.reject(new Error('no PACS'));
  const u = new URL(pacs.url.href.replace(/\/+$/, '') + '/studies');
  u.searchParams.set('StudyInstanceUID', study);
  u.searchParams.set('includefield', PATIENT_ID);
  return new Promise((resolve, reject) => {
    const req = (u.protocol === 'https:' ? https : http).request(
      u,
      {
        headers: { accept: 'application/dicom+json', ...(pacs.authorization ? { authorization: pacs.authorization } : {}) },
        ...(pacs.ca ? { ca: pacs.ca } : {}),
        timeout: 10_000,
      },
      (res) => {
        const chunks = /** @type {Buffer[]} */ ([]);
        let n = 0;
        res.on('data', (c) => {
          n += c.length;
          if (n > 1 << 20) req.destroy(new Error('answer too large'));
          else chunks.push(c);
        });
        res.on('end', () => {
          if (res.statusCode === 204) return resolve(null);
          if (res.statusCode !== 200) return reject(new Error(`PACS answered ${res.statusCode}`));
          try {
            const list = JSON.parse(Buffer.concat(chunks).toString('utf8'));
            // The PACS may ignore the match key: only an entry for this very study counts.
            const entry = Array.isArray(list) ? list.find((e) => valueOf(e, STUDY_UID) === study) : undefined;
            resolve(entry ? (valueOf(entry, PATIENT_ID) ?? '') : null);
          } catch (e) {
            reject(e);
          }
        });
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error('PACS did not answer')));
    req.on('error', reject);
    req.end();
  });
}
