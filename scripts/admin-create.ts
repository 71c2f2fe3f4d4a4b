/**
 * npm run admin:create -- --username NAME [--display-name 名称] [--reset]
 *
 * Creates a city administrator (市教育局, sees every county and creates the other accounts), or
 * with --reset sets a new password for an existing account. The password is read from stdin:
 * typed without echo at a terminal (asked twice), or the first line of piped input, so it is
 * scriptable (`printf '%s\n' "$PW" | npm run admin:create -- --username admin`) and never on
 * the command line or in shell history. Uses the same DATA_DIR / STORE as the server.
 * Exit 0 on success, 1 on a refused password or name, 2 on bad arguments.
 */
import { getAccountByUsername } from "../db/repositories/accounts";
import { createAccount, resetPassword } from "../app/.server/console/accounts";
import { normalizeUsername } from "../app/domain/roles";
import { fail, openServices, parseFlags } from "./lib/cli";

const USAGE = "用法：npm run admin:create -- --username 用户名 [--display-name 名称] [--reset]（密码从标准输入读取）";

async function readPipedLine(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
  return Buffer.concat(chunks).toString("utf8").split(/\r?\n/)[0] ?? "";
}

/** Reads one line from the terminal without echoing it. */
function readHidden(prompt: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const stdin = process.stdin;
    process.stderr.write(prompt);
    let value = "";
    stdin.setRawMode(true);
    stdin.resume();
    stdin.setEncoding("utf8");
    const onData = (text: string) => {
      for (const ch of text) {
        if (ch === "\r" || ch === "\n") {
          stdin.setRawMode(false);
          stdin.pause();
          stdin.off("data", onData);
          process.stderr.write("\n");
          resolve(value);
          return;
        }
        if (ch === "\u0003") {
          stdin.setRawMode(false);
          reject(new Error("已取消"));
          return;
        }
        if (ch === "\u007f" || ch === "\b") value = value.slice(0, -1);
        else value += ch;
      }
    };
    stdin.on("data", onData);
  });
}

async function readPassword(): Promise<string> {
  if (!process.stdin.isTTY) return readPipedLine();
  const first = await readHidden("密码：");
  const second = await readHidden("再次输入密码：");
  if (first !== second) fail("两次输入的密码不一致", 1);
  return first;
}

const flags = parseFlags(process.argv.slice(2));
const usernameFlag = flags.get("username");
if (typeof usernameFlag !== "string") fail(`缺少 --username\n${USAGE}`);
const username = normalizeUsername(usernameFlag);
const displayNameFlag = flags.get("display-name");
const reset = flags.get("reset") === true;

const password = await readPassword();
const services = await openServices();
try {
  if (reset) {
    const account = await getAccountByUsername(services.db, username);
    if (!account) fail(`账号 ${username} 不存在`, 1);
    const result = await resetPassword(services, null, account.id, password);
    if (!result.ok) fail(result.message, 1);
    process.stdout.write(`已重置账号 ${username} 的密码，原有登录已全部失效\n`);
  } else {
    const result = await createAccount(services, null, {
      username,
      displayName: typeof displayNameFlag === "string" ? displayNameFlag : "市教育局管理员",
      role: "city",
      password,
    });
    if (!result.ok) fail(result.message, 1);
    process.stdout.write(`已创建市级管理员账号 ${result.value.username}，请访问 ${services.config.publicUrl}/admin 登录\n`);
  }
} finally {
  await services.close();
}
