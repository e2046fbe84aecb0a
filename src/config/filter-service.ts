// --filter-service: the re-injecting smtpd service named as its receptions would count, `NAME` (the
// default instance's `postfix/NAME/smtpd`; `smtp` for its plain smtpd) or `INSTANCE/NAME` (a
// postmulti instance's `INSTANCE/NAME/smtpd`, or `INSTANCE/smtp` for its plain `INSTANCE/smtpd`):
// the same name the `recv` key would carry, `postfix-out/recv:smtp` for `postfix-out/smtp`.
import { isValidName } from '../classify/names.js';
import { normaliseInstance } from '../counters/key.js';

/** The filter as effects.ts looks it up (the instance in lower case), or null when it names nothing countable. */
export function parseFilterService(s: string): string | null {
  const slash = s.indexOf('/');
  if (slash < 0) return isValidName(s) ? s : null;
  const instance = normaliseInstance(s.slice(0, slash));
  const name = s.slice(slash + 1);
  return instance !== null && isValidName(name) ? `${instance}/${name}` : null;
}
