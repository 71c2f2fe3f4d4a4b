/** A logger that keeps what it was told, to check what a fault logs. */
import type { Logger } from "../../../../app/.server/log";

export interface LogLine {
  level: "debug" | "info" | "warn" | "error";
  msg: string;
  fields: Record<string, unknown>;
}

export interface CapturingLogger extends Logger {
  lines: LogLine[];
  messages(level: LogLine["level"]): string[];
}

export function capturingLogger(): CapturingLogger {
  const lines: LogLine[] = [];
  const at =
    (level: LogLine["level"]) =>
    (msg: string, fields: Record<string, unknown> = {}) =>
      void lines.push({ level, msg, fields });
  return {
    lines,
    messages: (level) => lines.filter((l) => l.level === level).map((l) => l.msg),
    debug: at("debug"),
    info: at("info"),
    warn: at("warn"),
    error: at("error"),
  };
}
