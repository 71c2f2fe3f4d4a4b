/**
 * The warning shown wherever links are shown, copied or printed while PUBLIC_URL points at an
 * address parents' phones cannot open (app/domain/public-origin.ts). Loopback and intranet
 * addresses are an error; plain http on a public host a softer warning.
 */
import type { PublicOriginProblem } from "../domain/public-origin";

export function PublicOriginBanner({ problem, className = "c-notice" }: { problem: PublicOriginProblem | null; className?: string }) {
  if (!problem) return null;
  const severe = problem.level !== "insecure";
  return (
    <div
      className={`${className} ${className}--${severe ? "error" : "warn"}`}
      role={severe ? "alert" : "status"}
      data-testid="public-origin-banner"
      data-level={problem.level}
    >
      <strong>{severe ? "链接无法在家长手机上打开：" : "提示："}</strong>
      {problem.message}
    </div>
  );
}
