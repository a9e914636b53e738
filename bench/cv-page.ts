import http from "node:http";
import type { AddressInfo } from "node:net";
import { aPublishedCv } from "../app/db/factories";
import { benchDatabase, fmt, load, startBenchApp } from "./support";

/**
 * The "viral CV": a published CV page under load, against a bare node:http server returning the
 * same bytes, both measured in this run on this machine. Target: at least 50 % of the bare server.
 */
export async function benchCvPage(options: { seconds: number }) {
  const database = await benchDatabase("pglite");
  const app = await startBenchApp(database);
  try {
    const { cv } = await aPublishedCv(database.db);
    const pageUrl = `${app.url}/cv/${cv.slug}`;
    await fetch(pageUrl);
    await new Promise((resolve) => setTimeout(resolve, 200));
    const response = await fetch(pageUrl);
    const bytes = Buffer.from(await response.arrayBuffer());
    const headers = Object.fromEntries([...response.headers].filter(([name]) => !["set-cookie", "content-length", "transfer-encoding", "connection", "keep-alive", "date"].includes(name)));

    const bare = http.createServer((_req, res) => {
      res.writeHead(200, { ...headers, "Content-Length": bytes.length });
      res.end(bytes);
    });
    await new Promise<void>((resolve) => bare.listen(0, "127.0.0.1", resolve));
    const bareUrl = `http://127.0.0.1:${(bare.address() as AddressInfo).port}/`;

    const connections = 20;
    await load(pageUrl, { seconds: 2, connections }); // warm-up
    const baseline = await load(bareUrl, { seconds: options.seconds, connections });
    const page = await load(pageUrl, { seconds: options.seconds, connections });
    bare.close();
    const ratio = page.requestsPerSecond / baseline.requestsPerSecond;
    console.log(`CV page (cached, ${bytes.length} bytes): ${fmt(page.requestsPerSecond, 0)} req/s, p99 ${page.p99Ms} ms, errors ${page.errors + page.non2xx}`);
    console.log(`bare node:http, same bytes:      ${fmt(baseline.requestsPerSecond, 0)} req/s, p99 ${baseline.p99Ms} ms`);
    console.log(`ratio: ${fmt(ratio * 100)} % of the bare server (target ≥ 50 %) ${ratio >= 0.5 ? "OK" : "BELOW TARGET"}`);
    return { ratio, page, baseline };
  } finally {
    await app.close();
  }
}
