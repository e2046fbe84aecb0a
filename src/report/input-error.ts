// Why a report could not be made from its input, with the exit code the main gives it (sysexits):
// 64 a wrong combination of options, 65 input that is no Postfix log, 66 no such input, 74 damaged
// input, 77 permission denied.
import { EXIT } from '../config/exit-codes.js';

export type InputErrorCode = (typeof EXIT)['usage' | 'dataErr' | 'noInput' | 'ioErr' | 'noPerm'];

export class ReportInputError extends Error {
  constructor(message: string, readonly code: InputErrorCode) {
    super(message);
    this.name = 'ReportInputError';
  }
}

/** The exit code and wording for a failed read of `path`. */
export function readError(path: string, e: unknown): ReportInputError {
  const code = (e as NodeJS.ErrnoException).code;
  if (code === 'ENOENT' || code === 'ENOTDIR') return new ReportInputError(`no such file: ${path}`, EXIT.noInput);
  if (code === 'EACCES' || code === 'EPERM') return new ReportInputError(`permission denied reading ${path}`, EXIT.noPerm);
  if (code === 'EISDIR') return new ReportInputError(`${path} is a directory, not a log`, EXIT.noInput);
  return new ReportInputError(`cannot read ${path}: ${(e as Error).message}`, EXIT.ioErr);
}
