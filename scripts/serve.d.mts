import type { IncomingMessage, Server, ServerResponse } from 'node:http';

export interface Mount {
  prefix: string;
  dir: string;
}
export interface ServeOptions {
  root: string;
  port: number;
  host: string;
  pacs: string;
  mounts: Mount[];
  config: string;
}
export function parseArgs(argv: string[]): ServeOptions;
export function contentTypeFor(file: string): string;
export function serveMount(req: IncomingMessage, res: ServerResponse, mount: Mount): boolean;
export function createServer(opts: ServeOptions): Server;
export function contentSecurityPolicy(config: unknown): string;
