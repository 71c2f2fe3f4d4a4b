/**
 * A county's signed evidence pack (issue 15 item 4, decision 0026): one zip with the 表Ⅵ and
 * 表Ⅲ workbooks, the county's review decisions (CSV), an extract of its 操作日志 rows with their
 * chain fields, and `manifest.json` + `manifest.sig` (Ed25519, the deployment's evidence key) +
 * `public-key.pem`. Checked offline by `npm run evidence:verify`.
 *
 * Written as a stream: the two workbooks are built in memory as for their own downloads (a few
 * hundred KB), the review decisions and the audit rows are read a page at a time and deflated
 * as they come, and the writer waits whenever the response is not being read — memory stays
 * bounded however long the county's log. The pack is hashed as it is written, so the manifest
 * (the last entry) lists what was sent.
 */
import { createHash } from "node:crypto";
import { once } from "node:events";
import fs from "node:fs";
import path from "node:path";
import { PassThrough, type Readable } from "node:stream";
import { strToU8, Zip, ZipDeflate } from "fflate";
import type { Campaign, County } from "../../../db/repositories/campaigns";
import { countyAuditPage, reviewDecisionsPage } from "../../../db/repositories/evidence";
import {
  auditExtractLine,
  beijingTime,
  buildManifest,
  EVIDENCE_PART_FILES,
  MANIFEST_FILE,
  PUBLIC_KEY_FILE,
  SIGNATURE_FILE,
  type BuiltPart,
  type EvidencePart,
} from "../../domain/evidence-pack";
import { csvLine } from "../../domain/spreadsheet-safety";
import type { Principal } from "../../domain/roles";
import type { Services } from "../context";
import { loadEvidenceKey } from "../evidence-key";
import { audit, auditHead } from "./audit";
import { cvWorkbook, table6Workbook } from "./exports";

const PAGE = 1000;

export const REVIEW_ACTION_LABELS: Record<string, string> = { invalidate: "标记无效", restore: "恢复有效" };

export const NO_EVALUATION_DATA = "本调查活动尚未导入评估数据，无法生成表Ⅲ差异系数。";

/** The platform's name and version (package.json), recorded in every manifest. */
export function platformVersion(root = process.cwd()): { name: string; version: string } {
  const parsed: unknown = JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8"));
  if (
    typeof parsed !== "object" ||
    parsed === null ||
    !("name" in parsed) ||
    !("version" in parsed) ||
    typeof parsed.name !== "string" ||
    typeof parsed.version !== "string"
  ) {
    throw new Error("package.json has no name and version (the evidence manifest records them)");
  }
  return { name: parsed.name, version: parsed.version };
}

/** One zip entry being written: deflated, hashed and counted as it goes. */
class Entry {
  private readonly file: ZipDeflate;
  private readonly hash = createHash("sha256");
  size = 0;

  constructor(zip: Zip, name: string) {
    this.file = new ZipDeflate(name, { level: 6 });
    zip.add(this.file);
  }

  push(bytes: Uint8Array): void {
    if (bytes.byteLength === 0) return;
    this.hash.update(bytes);
    this.size += bytes.byteLength;
    this.file.push(bytes, false);
  }

  end(): { size: number; sha256: string } {
    this.file.push(new Uint8Array(0), true);
    return { size: this.size, sha256: this.hash.digest("hex") };
  }
}

export interface EvidencePack {
  stream: Readable;
  fileName: string;
}

/**
 * Audits the export (so the pack's own download is the last row of its extract), reads the
 * chain head, builds the workbooks, then streams the zip. Errors after the first byte destroy
 * the stream (the download fails rather than ending in a pack that would not verify).
 */
export async function evidencePack(
  services: Pick<Services, "db" | "now" | "config" | "log">,
  principal: Principal,
  campaign: Campaign,
  county: County,
): Promise<EvidencePack> {
  const key = loadEvidenceKey(services.config);
  const platform = platformVersion();
  await audit(services, principal, "export", { campaignId: campaign.id, countyId: county.id, subject: "evidence.zip", detail: { file: "evidence.zip" } });
  const head = await auditHead(services);
  const generatedAt = services.now();
  const table6 = await table6Workbook(services, campaign, county);
  const table3 = await cvWorkbook(services, campaign, county);

  const out = new PassThrough();
  const zip = new Zip((error, chunk) => {
    if (error) out.destroy(error);
    else out.write(chunk);
  });
  // Waits while the reader is behind, so a slow download does not pile the zip up in memory.
  const drained = async () => {
    if (out.writableNeedDrain) await once(out, "drain");
  };
  const built: BuiltPart[] = [];
  const whole = (part: EvidencePart, bytes: Uint8Array) => {
    const e = new Entry(zip, EVIDENCE_PART_FILES[part]);
    e.push(bytes);
    built.push({ part, ...e.end() });
  };

  void (async () => {
    try {
      whole("table6", table6);
      if (table3) whole("table3", table3);
      else built.push({ part: "table3", missing: NO_EVALUATION_DATA });
      await drained();

      const reviews = new Entry(zip, EVIDENCE_PART_FILES.reviews);
      reviews.push(strToU8(`\uFEFF${csvLine(["审核记录编号", "问卷编号", "操作", "原因", "操作人账号编号", "操作人", "时间（北京时间）", "时间戳（毫秒）"])}`));
      for (let after = 0; ;) {
        const page = await reviewDecisionsPage(services.db, { campaignId: campaign.id, countyId: county.id, afterId: after, limit: PAGE });
        reviews.push(
          strToU8(
            page
              .map((r) => csvLine([r.id, r.responseId, REVIEW_ACTION_LABELS[r.action] ?? r.action, r.reason, r.accountId, r.username, beijingTime(r.at), r.at]))
              .join(""),
          ),
        );
        await drained();
        const last = page.at(-1);
        if (!last || page.length < PAGE) break;
        after = last.id;
      }
      built.push({ part: "reviews", ...reviews.end() });

      const extract = new Entry(zip, EVIDENCE_PART_FILES.audit);
      for (let after = 0; ;) {
        const page = await countyAuditPage(services.db, { campaignId: campaign.id, countyId: county.id, afterSeq: after, maxSeq: head.seq, limit: PAGE });
        extract.push(strToU8(page.map(auditExtractLine).join("")));
        await drained();
        const last = page.at(-1);
        if (!last || page.length < PAGE) break;
        after = last.seq;
      }
      built.push({ part: "audit", ...extract.end() });

      const manifest = buildManifest(
        {
          campaign: { id: campaign.id, name: campaign.name },
          county: { id: county.id, name: county.name },
          generatedAt,
          generatedBy: principal.username,
          platform,
          auditHead: head,
          signature: { algorithm: "Ed25519", file: SIGNATURE_FILE, publicKeyFile: PUBLIC_KEY_FILE, publicKeyFingerprint: key.fingerprint },
        },
        built,
      );
      const manifestBytes = strToU8(`${JSON.stringify(manifest, null, 2)}\n`);
      for (const [name, bytes] of [
        [MANIFEST_FILE, manifestBytes],
        [SIGNATURE_FILE, strToU8(`${Buffer.from(key.sign(manifestBytes)).toString("base64")}\n`)],
        [PUBLIC_KEY_FILE, strToU8(key.publicKeyPem)],
      ] as const) {
        const e = new Entry(zip, name);
        e.push(bytes);
        e.end();
      }
      zip.end();
      out.end();
    } catch (error) {
      services.log.error("evidence pack failed", {
        campaignId: campaign.id,
        countyId: county.id,
        error: error instanceof Error ? error.message : String(error),
      });
      zip.terminate();
      out.destroy(error instanceof Error ? error : new Error(String(error)));
    }
  })();
  return { stream: out, fileName: `${county.name}-证据包-${campaign.id}.zip` };
}
