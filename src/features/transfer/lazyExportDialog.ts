import { lazy } from 'react';

/** The export dialog (zip writing, de-identification), loaded when first opened: from the study list and the viewer. */
export const ExportDialog = lazy(() => import('./ExportDialog').then((m) => ({ default: m.ExportDialog })));
