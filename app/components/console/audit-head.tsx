/**
 * The 操作日志 chain's head (decision 0023) as a page prints it: the short form to read out, the
 * full hash in monospace beside it (and as the short form's title), so a printed page pins every
 * audit row written before it — `npm run audit:verify -- --head <短哈希>` checks it later.
 */
import { shortHash } from "../../domain/audit-chain";

export function AuditHead({ head, className = "c-card__note" }: { head: { seq: number; hash: string }; className?: string }) {
  return (
    <p className={`${className} c-audit-head`}>
      操作日志链头（共 {head.seq} 条记录）：
      <strong className="c-mono" title={head.hash}>
        {shortHash(head.hash)}
      </strong>
      <br />
      完整哈希 <span className="c-mono c-audit-head__full">{head.hash}</span>
      <br />
      此哈希由全部操作记录依次计算得出；此后任何一条记录被删除、修改或调换顺序，核对时都会发现。
    </p>
  );
}
