import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import type { Db } from "../app/db/client.server";
import { cvs, cvVersions, publicCvs, users, zones } from "../app/db/schema";
import { aCvContent } from "../app/db/factories";
import { businessLineLabel } from "../app/domain/cv/cvs";
import { publicRowOf, toPublicCv } from "../app/domain/cv/projection";
import { departments } from "../app/domain/reference/departments";
import type { businessLines} from "../app/domain/reference/lists";
import { contractTypes } from "../app/domain/reference/lists";

/**
 * Realistic volume for the gallery: `candidates` candidates, of whom `published` have a published
 * CV (public card and search text built by the real projection). Deterministic for a given seed.
 */
const firstNames = ["Mourad", "Fatou", "Didier", "Aminata", "Jean-Pierre", "Nadia", "Sébastien", "Océane", "Karim", "Hélène", "Yasmina", "Bernard", "Aïcha", "Lucas", "Samia", "Gaëlle", "Ibrahim", "Rose", "Thierry", "Leïla"];
const lastNames = ["Benali", "Diallo", "Lambert", "Koné", "Morel", "Bouzid", "Roux", "Vasseur", "Haddad", "Marchand", "Khelifi", "Petit", "Moreau", "Garnier", "Faure", "Chevalier", "Mercier", "Blanc", "Guerin", "Muller"];
const jobs: Record<string, string[]> = {
  hospitality: ["Commis de cuisine", "Plongeur", "Cuisinière", "Serveur", "Pâtissière"],
  construction: ["Maçon", "Peintre en bâtiment", "Plaquiste", "Carreleur", "Manœuvre"],
  logistics: ["Préparateur de commandes", "Cariste", "Magasinière", "Agent de quai"],
  cleaning: ["Agent d'entretien", "Laveur de vitres", "Agente de propreté"],
  agriculture: ["Jardinier paysagiste", "Ouvrière agricole", "Élagueur"],
  personal_care: ["Auxiliaire de vie", "Aide à domicile", "Garde d'enfants"],
  retail: ["Vendeuse", "Employé de libre-service", "Caissière"],
  transport: ["Chauffeur livreur", "Coursier à vélo"],
};
const skills = ["Ponctuel", "Travail en équipe", "Soigneuse", "Rigoureux", "Patience", "Hygiène HACCP", "Permis B", "Bricolage", "Sens du contact", "Force physique", "Organisation", "Écoute"];

function rng(seed: number) {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

export async function generateCvs(db: Db, options: { candidates: number; published: number; seed?: number }) {
  const random = rng(options.seed ?? 42);
  const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)]!;
  const [zone] = await db.insert(zones).values({ name: `Bench ${randomUUID().slice(0, 8)}` }).returning();
  const batch = 1000;
  for (let start = 0; start < options.candidates; start += batch) {
    const people = [];
    for (let i = start; i < Math.min(options.candidates, start + batch); i++) {
      people.push({ id: randomUUID(), email: `bench.${i}.${zone!.id.slice(0, 8)}@exemple.test`, firstName: pick(firstNames), lastName: pick(lastNames), role: "candidate" as const, zoneId: zone!.id });
    }
    await db.insert(users).values(people);
    const toPublish = people.filter((_, k) => start + k < options.published);
    if (toPublish.length === 0) continue;
    const cvRows = [];
    const versionRows = [];
    const publicRows = [];
    for (const person of toPublish) {
      const cvId = randomUUID();
      const versionId = randomUUID();
      const line = pick(Object.keys(jobs));
      const content = aCvContent({
        catchphrase: `${pick(["Motivé", "Souriante", "Fiable", "Courageux", "Curieuse"])}, ${pick(["je ne lâche rien", "prête à apprendre", "toujours à l'heure", "j'aime le travail bien fait"])}`,
        goals: [{ businessLine: line as (typeof businessLines)[number], job: pick(jobs[line]!) }],
        skills: [pick(skills), pick(skills), pick(skills)],
        departments: [pick(departments).code, pick(departments).code],
        contracts: [pick(contractTypes), pick(contractTypes)],
      });
      const slug = `${person.firstName.toLowerCase().normalize("NFD").replace(/[^a-z]/g, "")}-${cvId.slice(0, 8)}`;
      const cv = { id: cvId, candidateId: person.id, slug, status: "published" as const, currentVersionId: versionId, publishedVersionId: versionId, revision: 1, publishedAt: new Date() };
      cvRows.push(cv);
      versionRows.push({ id: versionId, cvId, revision: 1, content });
      const card = toPublicCv({ slug, employedAt: random() < 0.1 ? new Date() : null, employedUntil: null }, person, content, versionId);
      publicRows.push({ cvId, ...publicRowOf(card, new Date(), businessLineLabel), views: Math.floor(random() * 50), shares: Math.floor(random() * 10) });
    }
    await db.insert(cvs).values(cvRows);
    await db.insert(cvVersions).values(versionRows);
    await db.insert(publicCvs).values(publicRows);
  }
  await db.execute(sql`analyze`);
}
