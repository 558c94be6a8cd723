import type { MprController } from '../../imaging';

/**
 * The open MPR, for the commands and toolbar (only one MPR is shown at a time). Its own module, so that the commands
 * reach it without loading the MPR view's chunk.
 */
export const mprHandle: { current?: MprController; close?: () => void } = {};
