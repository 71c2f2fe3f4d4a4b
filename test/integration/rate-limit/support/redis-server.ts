/**
 * A redis-server of the test's own, on a free port, for the fault tests (down, refusing,
 * restarting, hanging) and SCRIPT FLUSH — never the shared Redis at 127.0.0.1:6379, which is
 * neither stopped, paused nor flushed. Only this child's own pid is ever signalled.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import net from "node:net";

export function redisServerAvailable(): boolean {
  return spawnSync("redis-server", ["--version"], { stdio: "ignore" }).status === 0;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** Sends one inline command over a raw socket and returns the first reply line (or null). */
export function rawCommand(port: number, command: string, timeoutMs = 300): Promise<string | null> {
  return new Promise((resolve) => {
    const socket = net.connect(port, "127.0.0.1");
    const done = (value: string | null) => {
      socket.destroy();
      resolve(value);
    };
    socket.setTimeout(timeoutMs, () => done(null));
    socket.once("error", () => done(null));
    socket.once("connect", () => socket.write(`${command}\r\n`));
    socket.once("data", (data) => done(data.toString("utf8").split("\r\n")[0] ?? null));
  });
}

async function sleep(ms: number): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, ms));
}

export class RedisServer {
  private child: ChildProcess | null = null;
  private paused = false;

  private constructor(
    readonly port: number,
    private readonly extraArgs: readonly string[],
  ) {}

  /** Starts a fresh redis-server (no persistence) on a free port, or on `port`. */
  static async start(options: { port?: number; args?: readonly string[] } = {}): Promise<RedisServer> {
    const server = new RedisServer(options.port ?? (await freePort()), options.args ?? []);
    await server.start();
    return server;
  }

  /** A port nothing listens on yet (for "Redis is down from the start"). */
  static async notStarted(options: { args?: readonly string[] } = {}): Promise<RedisServer> {
    return new RedisServer(await freePort(), options.args ?? []);
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  get running(): boolean {
    return this.child !== null;
  }

  async start(): Promise<void> {
    if (this.child) return;
    const child = spawn(
      "redis-server",
      ["--port", String(this.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--daemonize", "no", ...this.extraArgs],
      { stdio: "ignore" },
    );
    this.child = child;
    child.once("exit", () => {
      if (this.child === child) this.child = null;
    });
    for (let i = 0; i < 250; i++) {
      const reply = await rawCommand(this.port, "PING");
      if (reply === "+PONG" || reply?.startsWith("-NOAUTH")) return;
      if (!this.child) throw new Error(`redis-server exited while starting on port ${this.port}`);
      await sleep(20);
    }
    throw new Error(`redis-server did not answer on port ${this.port}`);
  }

  /** Stops this server (SIGTERM to its own pid) and waits for it to exit. */
  async stop(): Promise<void> {
    const child = this.child;
    if (!child) return;
    if (this.paused) this.resume();
    const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
    child.kill("SIGTERM");
    await exited;
    this.child = null;
  }

  /** Freezes the server: connections are accepted by the kernel and never answered. */
  pause(): void {
    if (!this.child?.pid) throw new Error("redis-server is not running");
    process.kill(this.child.pid, "SIGSTOP");
    this.paused = true;
  }

  resume(): void {
    if (!this.child?.pid || !this.paused) return;
    process.kill(this.child.pid, "SIGCONT");
    this.paused = false;
  }

  /** Runs a command on this server through a raw socket (e.g. "CONFIG SET maxmemory 1"). */
  async command(command: string): Promise<string | null> {
    return rawCommand(this.port, command, 1000);
  }
}
