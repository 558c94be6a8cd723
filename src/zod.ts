// zod's small build (zod/mini: functions instead of methods, tree-shaken; a third of classic zod's size in the
// bundle every page loads), with the English messages classic zod has built in, for config.json's errors.
import * as z from 'zod/mini';

z.config(z.locales.en());

/** A string that is not empty (zod/mini spells `z.string().min(1, message)` this way). */
export const nonEmpty = (message?: string) => z.string().check(z.minLength(1, message));

export { z };
