import { createContext, useContext } from 'react';
import type { ImagingSession, StackController } from '../../imaging';

/** The viewer's stack controllers by viewport index; provided by ViewerPage, used by commands. */
export const ControllersContext = createContext<Map<number, StackController>>(new Map());
export const useControllers = () => useContext(ControllersContext);

/** The viewer's imaging session (imaging/session.ts): made once by ViewerPage, handed to the controllers it makes. */
export const ImagingSessionContext = createContext<ImagingSession | undefined>(undefined);
export function useImagingSession(): ImagingSession {
  const session = useContext(ImagingSessionContext);
  if (!session) throw new Error('No imaging session: the viewer provides one (ViewerPage)');
  return session;
}
