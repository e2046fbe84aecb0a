// Counter keys are built from log text; only short, plain names may become part of a key.
const NAME = /^[a-z0-9_.-]{1,32}$/;

export function isValidName(name: string): boolean {
  // `self` would turn `<transport>:5xx` into one of the daemon's own, uncapped, self: keys.
  return NAME.test(name) && name !== '.' && name !== '..' && name !== 'self';
}

/** Postfix's short (hex) and long (`enable_long_queue_ids`, vowel-free base-51 plus `z`) queue ids. */
const SHORT_ID = /^[0-9A-F]{6,16}$/;
const LONG_ID = /^[0-9B-DF-HJ-NP-TV-Zb-df-hj-np-tv-z]{10,24}$/;

export function isQueueId(s: string): boolean {
  return SHORT_ID.test(s) || LONG_ID.test(s);
}
