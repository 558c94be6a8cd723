import { create } from 'zustand';
import { DicomWebClient } from '../dicomweb/client';
import { loadConfig } from '../config/load';
import { ConfigError, defaultDataSourceOf, type AppConfig } from '../config/schema';
import { credentialHeaders } from './auth';

interface ConfigState {
  status: 'loading' | 'ready' | 'error';
  config?: AppConfig;
  error?: { message: string; details: string[] };
  /** One client per data source, by name. */
  clients: Record<string, DicomWebClient>;
  load: () => Promise<void>;
}

export const useConfigStore = create<ConfigState>((set) => ({
  status: 'loading',
  clients: {},
  load: async () => {
    try {
      const config = await loadConfig();
      // Every request carries the signed-in user's token (none with sign-in off), read when it is sent.
      const clients = Object.fromEntries(
        config.dataSources.map((ds) => [ds.name, new DicomWebClient(ds, undefined, undefined, undefined, credentialHeaders)]),
      );
      set({ status: 'ready', config, clients, error: undefined });
    } catch (e) {
      const error =
        e instanceof ConfigError
          ? { message: e.message, details: e.details }
          : { message: 'Could not start', details: [e instanceof Error ? e.message : String(e)] };
      set({ status: 'error', error });
    }
  },
}));

/** The client for a data source name (the default one when name is empty); undefined for unknown names. */
export function clientFor(name?: string | null): DicomWebClient | undefined {
  const { config, clients } = useConfigStore.getState();
  if (!config) return undefined;
  return clients[name || defaultDataSourceOf(config).name];
}
