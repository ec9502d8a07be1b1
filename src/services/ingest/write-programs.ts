/**
 * Every write program by name. A store runs a program from its name and arguments (plain data),
 * so the SQLite store can run it on its writer thread, where a closure could not go.
 */
import { writeBatch } from './ingest-batch.js';
import { endSessionProgram, startSessionProgram, timeOutIdleSessionsProgram } from './session-commands.js';
import type { WriteProgram } from './write-ops.js';

export const writePrograms = {
  writeBatch,
  startSession: startSessionProgram,
  endSession: endSessionProgram,
  timeOutIdleSessions: timeOutIdleSessionsProgram,
};

export type ProgramName = keyof typeof writePrograms;
export type ProgramArgs<N extends ProgramName> = Parameters<(typeof writePrograms)[N]>;
export type ProgramResult<N extends ProgramName> = ReturnType<(typeof writePrograms)[N]> extends WriteProgram<infer T> ? T : never;

/** A fresh generator of the named program: a store may start one again to retry it. */
export function startProgram<N extends ProgramName>(name: N, args: ProgramArgs<N>): WriteProgram<ProgramResult<N>> {
  const program = writePrograms[name] as (...args: ProgramArgs<N>) => WriteProgram<ProgramResult<N>>;
  return program(...args);
}
