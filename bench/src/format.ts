/** Numbers as the report writes them. */
export const n = (value: number, digits = 1) =>
  Number.isFinite(value)
    ? value.toLocaleString('en-US', {
        minimumFractionDigits: digits,
        maximumFractionDigits: digits,
      })
    : 'n/a';

/** Applications of `services` services (x 3 environments), written out. */
export const apps = (services: number) =>
  (services * 3).toLocaleString('en-US');
export const count = (value: number) => value.toLocaleString('en-US');
