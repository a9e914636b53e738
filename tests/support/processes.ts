import { execFile, spawn, type ChildProcess } from "node:child_process";
import { promisify } from "node:util";
import net from "node:net";
import path from "node:path";

const root = path.resolve(import.meta.dirname, "..", "..");
const tsx = path.join(root, "node_modules", ".bin", "tsx");

export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as net.AddressInfo).port;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

export type Running = {
  child: ChildProcess;
  output: () => string;
  waitForOutput: (pattern: RegExp, timeoutMs?: number) => Promise<string>;
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
};

/** Runs one of the product's own entry points (server/main.ts, a CLI…) as a real process. */
export function runScript(script: string, env: Record<string, string>, args: string[] = []): Running {
  const child = spawn(tsx, [script, ...args], {
    cwd: root,
    env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "/tmp", NODE_ENV: "production", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout!.on("data", (chunk) => (output += chunk));
  child.stderr!.on("data", (chunk) => (output += chunk));
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on("exit", (code, signal) => resolve({ code, signal })),
  );
  return {
    child,
    output: () => output,
    exit,
    async waitForOutput(pattern, timeoutMs = 60_000) {
      const deadline = Date.now() + timeoutMs;
      while (Date.now() < deadline) {
        const match = output.match(pattern);
        if (match) return match[0];
        if (child.exitCode !== null) break;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      throw new Error(`Did not print ${pattern}. Output:\n${output}`);
    },
  };
}

/** Stops a process and tells how long it took. */
export async function stop(running: Running, signal: NodeJS.Signals = "SIGTERM") {
  const started = Date.now();
  running.child.kill(signal);
  const result = await running.exit;
  return { ...result, ms: Date.now() - started };
}

/**
 * Kills a process as a crash would (SIGKILL: no cleanup). tsx runs the script in a child node
 * process and cannot relay SIGKILL, so that child is killed first, and waited for.
 */
export async function killHard(running: Running) {
  const { stdout } = await promisify(execFile)("ps", ["-o", "pid=", "--ppid", String(running.child.pid)]).catch(() => ({ stdout: "" }));
  const children = stdout.split("\n").map((line) => Number(line.trim())).filter(Boolean);
  for (const pid of children) process.kill(pid, "SIGKILL");
  running.child.kill("SIGKILL");
  await running.exit;
  const alive = (pid: number) => {
    try {
      process.kill(pid, 0);
      return true;
    } catch {
      return false;
    }
  };
  while (children.some(alive)) await new Promise((resolve) => setTimeout(resolve, 20));
}
