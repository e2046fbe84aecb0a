// The exit codes of every main, from sysexits.h: one table, so the daemon, the helper and the report
// can never give one kind of failure two numbers.
export const EXIT = { ok: 0, usage: 64, dataErr: 65, noInput: 66, unavailable: 69, software: 70, osFile: 72, ioErr: 74, tempFail: 75, noPerm: 77 } as const;
