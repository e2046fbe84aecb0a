// The grammar of counter keys, shared by the daemon (what it may create) and the helper (what it
// accepts): `held`, `sent:smtp`, `smtp:4xx`, `self:lines`.
const KEY = /^[a-z0-9_.-]{1,32}(:[a-z0-9_.-]{1,32})?$/;

export function isCounterKey(key: string): boolean {
  return KEY.test(key);
}
