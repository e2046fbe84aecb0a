export function helperCheck() {
  return 'ok';
}
