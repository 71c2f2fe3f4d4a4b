import { describe, expect, it } from "vitest";
import { checkFile } from "./check-imports";

const messages = (file: string, text: string) => checkFile(file, text).map((v) => v.message);

describe("import-boundary lint", () => {
  it("keeps app/domain pure", () => {
    expect(messages("app/domain/x.ts", `import { sql } from "kysely";`)).toEqual(['app/domain is pure: it may not import "kysely"']);
    expect(messages("app/domain/x.ts", `import { getCampaign } from "../../db/repositories/campaigns";`)).toHaveLength(2);
    expect(messages("app/domain/x.ts", `const t = Date.now();\nconst r = Math.random();\nconst e = process.env.X;`)).toHaveLength(3);
    expect(messages("app/domain/x.ts", `import { z } from "zod";\nimport { LEVELS } from "./vocabulary";`)).toEqual([]);
    expect(messages("app/domain/x.test.ts", `import fc from "fast-check";`)).toEqual([]);
  });

  it("lets only server modules reach db/", () => {
    expect(messages("app/routes/a/route.tsx", `import { x } from "../../../db/schema";`)).toHaveLength(1);
    expect(messages("app/routes/a/page.server.ts", `import { x } from "../../../db/schema";`)).toEqual([]);
    expect(messages("app/.server/x.ts", `import { x } from "../../db/schema";`)).toEqual([]);
    expect(messages("db/repositories/x.ts", `import { y } from "../../app/.server/services";`)).toEqual(["db/ may not import app/.server/services"]);
  });

  it("keeps node built-ins out of browser code", () => {
    expect(messages("app/components/x.tsx", `import fs from "node:fs";`)).toEqual(['browser code may not import "node:fs"']);
    expect(messages("app/routes/s.$token/form.client.tsx", `import("node:crypto")`)).toHaveLength(1);
  });

  it("keeps UI out of server modules", () => {
    const ui = `import type { PageHeader } from "~/components/survey-header";`;
    expect(messages("app/.server/console/preview.ts", ui)).toHaveLength(1);
    expect(messages("app/routes/s.$token/page.server.ts", ui)).toHaveLength(1);
    expect(messages("app/routes/s.$token/route.tsx", ui)).toEqual([]);
    expect(messages("app/entry.server.tsx", `import { X } from "./components/x";`)).toEqual([]);
  });
});
