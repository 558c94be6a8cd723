// dcmjs with the types of ./dcmjsTypes. The cast is needed because the app's own (looser) declaration of the
// 'dcmjs' module is what TypeScript sees for the import itself.
import dcmjsUntyped from 'dcmjs';
import type { Dcmjs } from './dcmjsTypes';

export const dcmjs = dcmjsUntyped as unknown as Dcmjs;

// dcmjs logs every implicit-VR ambiguity ("Invalid vr type xs - using US") through this logger; callers report
// what matters themselves.
dcmjs.log.getLogger('validation.dcmjs').setLevel('silent');
// …and unsupported character sets through the main one; parsePart10 reports that as a warning.
dcmjs.log.setLevel('error');
