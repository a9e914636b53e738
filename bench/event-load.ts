import http from "node:http";

/**
 * The load generator of the ingestion benchmark, run in its own process (never on the server's
 * event loop). `connections` loops each send, one after the other, a view (the CV page's pixel)
 * or a share click, every one from a new visitor (own address through X-Forwarded-For, own
 * browser), except every tenth, which repeats the previous one exactly: a duplicate that
 * de-duplication must drop. When time is up no new request starts, and those in flight are
 * awaited, so every event sent has its answer and the expected rows are known exactly.
 *
 * Input: one JSON argument { url, slugs, seconds, connections }. Output: one JSON line.
 */
type Input = { url: string; slugs: string[]; seconds: number; connections: number };
type Event = { kind: "view" | "share"; path: string; ip: string; userAgent: string };

const input = JSON.parse(process.argv[2]!) as Input;
const BROWSER = "Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Mobile Safari/537.36";
const NETWORKS = ["linkedin", "facebook", "whatsapp", "x", "email"] as const;
const agent = new http.Agent({ keepAlive: true, maxSockets: input.connections });
const target = new URL(input.url);

function send(event: Event): Promise<number> {
  return new Promise((resolve, reject) => {
    const request = http.request(
      {
        agent,
        host: target.hostname,
        port: target.port,
        path: event.path,
        method: "GET",
        headers: { "User-Agent": event.userAgent, "X-Forwarded-For": event.ip },
      },
      (response) => {
        response.resume();
        response.on("end", () => resolve(response.statusCode ?? 0));
        response.on("error", reject);
      },
    );
    request.on("error", reject);
    request.end();
  });
}

function eventFor(connection: number, n: number): Event {
  const slug = input.slugs[(connection * 7919 + n) % input.slugs.length]!;
  const ip = `10.${connection & 255}.${(n >> 8) & 255}.${n & 255}`;
  const userAgent = `${BROWSER} visitor-${connection}-${n}`;
  if (n % 2 === 0) return { kind: "view", path: `/cv/${slug}/vu.gif`, ip, userAgent };
  return { kind: "share", path: `/partager/${slug}/${NETWORKS[n % NETWORKS.length]}`, ip, userAgent };
}

const latencies: number[] = [];
const distinct = { view: new Set<string>(), share: new Set<string>() };
let sent = 0;
let duplicates = 0;
let errors = 0;
let unexpected = 0;
const deadline = Date.now() + input.seconds * 1000;
const started = performance.now();

async function connectionLoop(connection: number) {
  let previous: Event | null = null;
  for (let n = 0; Date.now() < deadline; n++) {
    const duplicate: boolean = previous !== null && n % 10 === 9;
    const event: Event = duplicate ? previous! : eventFor(connection, n);
    const start = performance.now();
    sent++;
    if (duplicate) duplicates++;
    try {
      const status = await send(event);
      latencies.push(performance.now() - start);
      const expected = event.kind === "view" ? 200 : 302;
      if (status !== expected) unexpected++;
      else distinct[event.kind].add(`${event.path} ${event.ip} ${event.userAgent}`);
    } catch {
      errors++;
    }
    previous = event;
  }
}

await Promise.all(Array.from({ length: input.connections }, (_, c) => connectionLoop(c)));
const elapsed = (performance.now() - started) / 1000;
agent.destroy();
latencies.sort((a, b) => a - b);
const p = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0;
console.log(
  JSON.stringify({
    sent,
    duplicates,
    errors,
    unexpected,
    seconds: elapsed,
    eventsPerSecond: sent / elapsed,
    p50Ms: p(0.5),
    p99Ms: p(0.99),
    expectedViews: distinct.view.size,
    expectedShares: distinct.share.size,
  }),
);
