import { createContext, useContext } from 'react';
import type { StackController } from '../../imaging';

/** The viewer's stack controllers by viewport index; provided by ViewerPage, used by commands. */
export const ControllersContext = createContext<Map<number, StackController>>(new Map());
export const useControllers = () => useContext(ControllersContext);
