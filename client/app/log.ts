/** Namespaced browser logger; the one place client code reaches the console. */
export function createLogger(namespace: string) {
  const prefix = `[guildhall:${namespace}]`;
  return {
    warn: (message: string, detail?: unknown) => console.warn(prefix, message, detail ?? ''),
    error: (message: string, detail?: unknown) => console.error(prefix, message, detail ?? ''),
  };
}
