/** What the console sends the import worker and what comes back (structured clone). */
import { z } from "zod";
import type { EvaluationInput } from "../../domain/evaluation/input";
import type { ImportResult } from "../evaluation-import/errors";
import type { ImportLimits } from "../evaluation-import/limits";

// Every cap, by ImportLimits' own keys: a cap added there and forgotten here fails to compile
// (zod would otherwise strip it on the way in, and the worker would compare against undefined).
const LIMIT_FIELDS: Record<keyof ImportLimits, z.ZodNumber> = {
  totalBytes: z.number(),
  entryBytes: z.number(),
  textBytes: z.number(),
  entries: z.number(),
  rowsPerSheet: z.number(),
  columnsPerRow: z.number(),
  cellChars: z.number(),
};

export const WorkerJobSchema = z.object({
  fileName: z.string(),
  /** Leave the 问卷 records out of the reply: the console does not keep them, and a city's can be tens of thousands of objects to copy into the main thread. */
  omitSatisfaction: z.boolean(),
  bytes: z.instanceof(Uint8Array),
  /** The campaign's counties, for a school list without a 县（区） sheet (absent: the sheet is required). */
  knownCounties: z.array(z.object({ id: z.string(), name: z.string() })).optional(),
  limits: z.object(LIMIT_FIELDS),
});
export type WorkerJob = z.infer<typeof WorkerJobSchema>;

/** A result, or an unexpected failure (logged, never shown: the officer gets a Chinese message). */
export type WorkerReply = { result: ImportResult<EvaluationInput> } | { failure: string };
