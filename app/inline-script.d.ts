/** A browser script compiled by scripts/lib/inline-script.ts, imported as its source text. */
declare module "*?inline-script" {
  const code: string;
  export default code;
}
