import { galleryFiltersSchema, searchGallery } from "../app/domain/cv/public-reads";
import { benchDatabase, fmt, percentile } from "./support";
import { generateCvs } from "./generate-cvs";

/**
 * The gallery at scale: 10,000 published CVs among 50,000 candidates; a French full-text search
 * plus two filters, timed on the server side (the query the page runs). Targets: p95 ≤ 50 ms on
 * a PostgreSQL server, ≤ 150 ms on PGlite.
 */
const searches = [
  { q: "cuisiniere", metier: "hospitality", contrat: "cdi" },
  { q: "macon", region: "idf", contrat: "temping" },
  { q: "ponctuel", metier: "logistics", region: "ara" },
  { q: "jardinier", departement: "69", contrat: "cdd_long" },
  { q: "auxiliaire de vie", region: "hdf", contrat: "cdi" },
  { q: "vendeuse", metier: "retail", departement: "75" },
];

export async function benchGallery(engine: "pglite" | "pg", options: { candidates: number; published: number; runs: number }) {
  const database = await benchDatabase(engine);
  try {
    const { runMigrations } = await import("../app/db/migrate.server");
    await runMigrations(database);
    const started = Date.now();
    await generateCvs(database.db, options);
    const generation = Date.now() - started;
    const times: number[] = [];
    let results = 0;
    for (let i = 0; i < options.runs; i++) {
      const filters = galleryFiltersSchema.parse(searches[i % searches.length]);
      const t0 = performance.now();
      const { cards } = await searchGallery(database.db, filters, i);
      times.push(performance.now() - t0);
      results += cards.length;
    }
    const p95 = percentile(times.slice(searches.length), 95); // the first round warms the caches
    const target = engine === "pg" ? 50 : 150;
    console.log(
      `gallery (${engine === "pg" ? "PostgreSQL server" : "PGlite"}, ${options.published} published / ${options.candidates} candidates, generated in ${fmt(generation / 1000)} s): ` +
        `search + 2 filters p50 ${fmt(percentile(times, 50))} ms, p95 ${fmt(p95)} ms (target ≤ ${target} ms) ${p95 <= target ? "OK" : "ABOVE TARGET"}; ${fmt(results / options.runs)} cards per page on average`,
    );
    return { p95 };
  } finally {
    await database.close();
  }
}
