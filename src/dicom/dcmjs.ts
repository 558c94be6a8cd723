// dcmjs, its loggers quietened; the module's types are in ./dcmjsTypes.d.ts.
import dcmjsModule from 'dcmjs';

export const dcmjs = dcmjsModule;

// dcmjs logs every implicit-VR ambiguity ("Invalid vr type xs - using US") through this logger; callers report
// what matters themselves.
dcmjs.log.getLogger('validation.dcmjs').setLevel('silent');
// …and unsupported character sets through the main one; parsePart10 reports that as a warning.
dcmjs.log.setLevel('error');
