/**
 * The questionnaire definitions in surveys/, loaded for tests (file-system access is fine in a
 * test helper; production code gets them through the server's survey registry).
 */
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const SURVEYS = fileURLToPath(new URL("../../surveys", import.meta.url));

export function loadDefinition(file: string): Record<string, unknown> {
  const parsed: unknown = JSON.parse(fs.readFileSync(path.join(SURVEYS, file), "utf8"));
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) throw new Error(`${file} is not an object`);
  return Object.fromEntries(Object.entries(parsed));
}

export const DEFINITION_FILES = fs
  .readdirSync(SURVEYS)
  .filter((f) => f.endsWith(".json"))
  .sort();
