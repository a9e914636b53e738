import { count } from "drizzle-orm";
import type { Db } from "./client.server";
import { aCandidate, aCandidateWithCoach, aCoach, aPairing, aStaffMember, aZone } from "./factories";
import { users } from "./schema";

export const DEMO_PASSWORD = "demo-linkedout";
export const DEMO_ACCOUNTS = [
  { role: "staff", email: "staff@demo.linkedout.fr" },
  { role: "coach", email: "coach@demo.linkedout.fr" },
  { role: "candidate", email: "candidat@demo.linkedout.fr" },
] as const;

/**
 * Demo data: three city teams, their staff, coaches and candidates. The people are fictional;
 * their situations are the ones the programme meets every day.
 */
export async function seedDemoIfEmpty(db: Db): Promise<boolean> {
  const [existing] = await db.select({ value: count() }).from(users);
  if ((existing?.value ?? 0) > 0) return false;
  await db.transaction(async (tx) => {
    const paris = await aZone(tx, { name: "Paris", departments: ["75", "92", "93", "94"] });
    const lyon = await aZone(tx, { name: "Lyon", departments: ["69"] });
    const lille = await aZone(tx, { name: "Lille", departments: ["59", "62"] });
    const password = DEMO_PASSWORD;

    await aStaffMember(tx, { firstName: "Claire", lastName: "Duval", email: "staff@demo.linkedout.fr", password, zoneId: paris.id });
    await aStaffMember(tx, { firstName: "Karim", lastName: "Haddad", email: "karim.haddad@demo.linkedout.fr", password, zoneId: lyon.id });
    await aStaffMember(tx, { firstName: "Sophie", lastName: "Lemaire", email: "sophie.lemaire@demo.linkedout.fr", password, zoneId: lille.id });

    // Hélène, retired accountant, coaches Mourad (former mason, two years on the street) and Fatou.
    const { coach: helene } = await aCandidateWithCoach(tx, {
      zoneId: paris.id,
      coach: { firstName: "Hélène", lastName: "Marchand", email: "coach@demo.linkedout.fr", password },
      candidate: { firstName: "Mourad", lastName: "Benali", email: "candidat@demo.linkedout.fr", password },
    });
    const fatou = await aCandidate(tx, { firstName: "Fatou", lastName: "Diallo", email: "fatou.diallo@demo.linkedout.fr", password, zoneId: paris.id });
    await aPairing(tx, fatou.id, helene.id);

    // Jean-Pierre, former cook, sleeps in a shelter in Lyon; his coach works in logistics.
    await aCandidateWithCoach(tx, {
      zoneId: lyon.id,
      coach: { firstName: "Thomas", lastName: "Girard", email: "thomas.girard@demo.linkedout.fr", password },
      candidate: { firstName: "Jean-Pierre", lastName: "Morel", email: "jean-pierre.morel@demo.linkedout.fr", password },
    });
    // Nadia, gardener, in a women's shelter in Lille.
    await aCandidateWithCoach(tx, {
      zoneId: lille.id,
      coach: { firstName: "Élodie", lastName: "Fontaine", email: "elodie.fontaine@demo.linkedout.fr", password },
      candidate: { firstName: "Nadia", lastName: "Bouzid", email: "nadia.bouzid@demo.linkedout.fr", password },
    });
    // A new volunteer waiting for a first pairing, and a candidate just invited.
    await aCoach(tx, { firstName: "Lucas", lastName: "Perrin", email: "lucas.perrin@demo.linkedout.fr", password, zoneId: paris.id });
    await aCandidate(tx, { firstName: "Sébastien", lastName: "Roux", email: "sebastien.roux@demo.linkedout.fr", password: null, zoneId: paris.id });
  });
  return true;
}
