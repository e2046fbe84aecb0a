// Why a report could not be made from its input, with the exit code the main gives it (sysexits):
// 64 a wrong combination of options, 66 no such input, 74 damaged input, 77 permission denied.

export type InputErrorCode = 64 | 66 | 74 | 77;

export class ReportInputError extends Error {
  constructor(message: string, readonly code: InputErrorCode) {
    super(message);
    this.name = 'ReportInputError';
  }
}

/** The exit code and wording for a failed read of `path`. */
export function readError(path: string, e: unknown): ReportInputError {
  const code = (e as NodeJS.ErrnoException).code;
  if (code === 'ENOENT' || code === 'ENOTDIR') return new ReportInputError(`no such file: ${path}`, 66);
  if (code === 'EACCES' || code === 'EPERM') return new ReportInputError(`permission denied reading ${path}`, 77);
  if (code === 'EISDIR') return new ReportInputError(`${path} is a directory, not a log`, 66);
  return new ReportInputError(`cannot read ${path}: ${(e as Error).message}`, 74);
}
