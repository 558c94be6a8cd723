import { useEffect, useState } from 'react';
import type { InstanceMeta } from '../../model/types';
import { clientFor } from '../../store/config';

export type ObjectFile = { status: 'loading' } | { status: 'ready'; bytes: Uint8Array } | { status: 'error'; error: string };

/**
 * One object's Part 10 file (WADO-RS retrieve instance; a static tree's instance.dcm; a local file), fetched when its
 * viewer mounts, never before: opening a study costs nothing for the objects nobody opens. Cancelled when the viewer
 * goes.
 */
export function useObjectFile(dataSource: string, studyUID: string, seriesUID: string, instance: InstanceMeta | undefined): ObjectFile {
  const [file, setFile] = useState<ObjectFile>({ status: 'loading' });
  const sop = instance?.sopInstanceUID;
  useEffect(() => {
    const client = clientFor(dataSource);
    if (!client || !sop) return;
    const controller = new AbortController();
    setFile({ status: 'loading' });
    client.retrieveInstance(studyUID, seriesUID, sop, controller.signal).then(
      (bytes) => setFile({ status: 'ready', bytes }),
      (e: unknown) => {
        if (!controller.signal.aborted) setFile({ status: 'error', error: e instanceof Error ? e.message : String(e) });
      },
    );
    return () => controller.abort();
  }, [dataSource, studyUID, seriesUID, sop]);
  return file;
}
