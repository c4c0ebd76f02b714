/*
 * The placeholders Casebook fills in macros, read from the core's catalogue so the editor and the
 * server never disagree. macros.ts is pure and imports nothing; it is imported by path because the
 * core's entry point also carries the pack loader (zod, YAML, CEL), which the web app must not ship.
 */
export { PLACEHOLDERS, placeholderProblems } from '../../../core/src/macros';
