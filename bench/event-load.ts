import http from "node:http";

/**
 * The load generator of the ingestion benchmark, run in its own process (never on the server's
 * event loop). `connections` loops each send, one after the other, a view (the CV page's pixel)
 * or a share click (plain link, direct redirect or copy-link beacon), every one from a new visitor (own address through X-Forwarded-For, own
 * browser), except every tenth, which repeats the previous one exactly: a duplicate that
 * de-duplication must drop. When time is up no new request starts, and those in flight are
 * awaited, so every event sent has its answer and the expected rows are known exactly.
 *
 * Input: one JSON argument { url, slugs, seconds, connections, label }; `label` goes into every
 * visitor's browser name, so that two runs (warm-up, then measure) never share a visitor.
 * Output: one JSON line.
 */
type Input = { url: string; slugs: string[]; seconds: number; connections: number; label: string };
/** `key` is what de-duplication works on (CV, network, visitor), whatever the way the event came. */
type Event = { kind: "view" | "share"; key: string; method: "GET" | "POST"; path: string; expected: number; ip: string; userAgent: string };

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
        method: event.method,
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
  const userAgent = `${BROWSER} ${input.label}-visitor-${connection}-${n}`;
  const visitor = { ip, userAgent };
  if (n % 2 === 0) return { kind: "view", key: `${slug} ${ip} ${userAgent}`, method: "GET", path: `/cv/${slug}/vu.gif`, expected: 200, ...visitor };
  // Share clicks come three ways: the plain link (thank-you page, no JavaScript), the direct
  // redirect of the enhanced buttons, and the beacon POST of copy-link.
  const way = (n >> 1) % 3;
  if (way === 2) return { kind: "share", key: `${slug} copy ${ip} ${userAgent}`, method: "POST", path: `/partager/${slug}/copy`, expected: 204, ...visitor };
  const network = NETWORKS[n % NETWORKS.length]!;
  const path = `/partager/${slug}/${network}${way === 1 ? "?direct=1" : ""}`;
  return { kind: "share", key: `${slug} ${network} ${ip} ${userAgent}`, method: "GET", path, expected: way === 1 ? 302 : 200, ...visitor };
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
      if (status !== event.expected) unexpected++;
      else distinct[event.kind].add(event.key);
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
