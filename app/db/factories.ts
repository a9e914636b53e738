import { randomBytes, randomUUID } from "node:crypto";
import { eq } from "drizzle-orm";
import { hashPassword } from "~/domain/accounts/passwords";
import type { Db } from "./client.server";
import { emptyCvContent, type CvContent } from "~/domain/cv/content";
import { businessLineLabel, ensureCv } from "~/domain/cv/cvs";
import { refreshPublicCv } from "~/domain/cv/projection";
import { candidateOffers, cvs, cvVersions, offers, pairings, users, zones, type Locale, type OfferChannel, type Role } from "./schema";

/**
 * Factories named after real situations. The demo seed and the tests use the same ones, so the
 * demo and the tests describe the same world. Every call makes unique e-mails: tests run in
 * parallel on shared data without stepping on each other.
 */
const unique = () => randomBytes(4).toString("hex");

type PersonOverrides = {
  firstName?: string;
  lastName?: string;
  email?: string;
  password?: string | null;
  locale?: Locale;
  /** null: no zone (for staff, the national team — decision 020). Unset: a zone of its own. */
  zoneId?: string | null;
};

export async function aZone(db: Db, overrides: { name?: string; departments?: string[] } = {}) {
  const [zone] = await db
    .insert(zones)
    .values({ name: overrides.name ?? `Zone ${unique()}`, departments: overrides.departments ?? ["75"] })
    .returning();
  return zone!;
}

/**
 * Default names, taken in turn: people made without a name are still told apart in a list (the
 * demo once showed four coaches all called "Hélène Marchand").
 */
const defaultNames: Record<Role, [string, string][]> = {
  staff: [["Claire", "Duval"], ["Mehdi", "Boukhari"], ["Anne", "Leroux"], ["Julien", "Masson"], ["Fanny", "Royer"], ["Yannick", "Le Gall"]],
  coach: [["Hélène", "Marchand"], ["Bernard", "Lefèvre"], ["Nathalie", "Moreau"], ["Olivier", "Chevalier"], ["Isabelle", "Garnier"], ["Patrick", "Fournier"], ["Sylvie", "Brunet"], ["Rachid", "Belkacem"]],
  candidate: [["Mourad", "Benali"], ["Sandrine", "Lopez"], ["Ibrahima", "Sow"], ["Christelle", "Nguyen"], ["Kevin", "Hamon"], ["Yasmina", "Cherif"], ["Franck", "Dubreuil"], ["Ludivine", "Pasquier"]],
};
const namesTaken: Record<Role, number> = { staff: 0, coach: 0, candidate: 0 };

function nextDefaultName(role: Role) {
  const names = defaultNames[role];
  const [firstName, lastName] = names[namesTaken[role]++ % names.length]!;
  return { firstName, lastName };
}

async function aPerson(db: Db, role: Role, overrides: PersonOverrides) {
  const zoneId = overrides.zoneId !== undefined ? overrides.zoneId : (await aZone(db)).id;
  // Rotate only when no name is given; half a name keeps the first default's other half ("Nadia Benali").
  const [firstDefault, lastDefault] = defaultNames[role][0]!;
  const defaults = overrides.firstName || overrides.lastName ? { firstName: firstDefault, lastName: lastDefault } : nextDefaultName(role);
  const firstName = overrides.firstName ?? defaults.firstName;
  const lastName = overrides.lastName ?? defaults.lastName;
  const email = overrides.email ?? `${firstName}.${lastName}.${unique()}@exemple.test`.toLowerCase().normalize("NFD").replace(/[^a-z0-9.@-]/g, "");
  const password = overrides.password === undefined ? "un mot de passe solide" : overrides.password;
  const [user] = await db
    .insert(users)
    .values({
      email,
      firstName,
      lastName,
      role,
      zoneId,
      locale: overrides.locale ?? "fr",
      passwordHash: password ? await hashPassword(password) : null,
    })
    .returning();
  return { ...user!, password };
}

/** A staff member of a city team (`zoneId: null`: of the national team). */
export const aStaffMember = (db: Db, overrides: PersonOverrides = {}) => aPerson(db, "staff", overrides);

/** A volunteer coach. */
export const aCoach = (db: Db, overrides: PersonOverrides = {}) => aPerson(db, "coach", overrides);

/** A candidate just invited, without a coach yet. */
export const aCandidate = (db: Db, overrides: PersonOverrides = {}) => aPerson(db, "candidate", overrides);

/** A candidate who was invited but never chose a password. */
export const anInvitedCandidate = (db: Db, overrides: PersonOverrides = {}) => aCandidate(db, { ...overrides, password: null });

export async function aPairing(db: Db, candidateId: string, coachId: string, startedById?: string) {
  const [pairing] = await db.insert(pairings).values({ candidateId, coachId, startedById: startedById ?? null }).returning();
  return pairing!;
}

/** The usual situation: a candidate paired with a volunteer coach in the same zone. */
export async function aCandidateWithCoach(
  db: Db,
  overrides: { candidate?: PersonOverrides; coach?: PersonOverrides; zoneId?: string } = {},
) {
  const zoneId = overrides.zoneId ?? overrides.candidate?.zoneId ?? (await aZone(db)).id;
  const coach = await aCoach(db, { zoneId, ...overrides.coach });
  const candidate = await aCandidate(db, { zoneId, ...overrides.candidate });
  await aPairing(db, candidate.id, coach.id);
  return { candidate, coach, zoneId };
}

export async function findUserByEmail(db: Db, email: string) {
  const [user] = await db.select().from(users).where(eq(users.email, email)).limit(1);
  return user ?? null;
}

/** A CV written with care: the content a coach and a candidate typically reach. */
export function aCvContent(overrides: Partial<CvContent> = {}): CvContent {
  return {
    ...emptyCvContent(),
    catchphrase: "Cuisinière passionnée, je ne lâche rien",
    story:
      "J'ai travaillé quinze ans en restauration collective avant une séparation difficile et deux années à la rue. Aujourd'hui hébergée, je veux retrouver une cuisine et une équipe.",
    goals: [{ businessLine: "hospitality", job: "Commis de cuisine" }],
    skills: ["Ponctuelle", "Hygiène HACCP", "Travail en équipe"],
    experiences: [
      { kind: "experience", title: "Cuisinière", organisation: "Cantine scolaire", place: "Montreuil", start: "2008-09", end: "2019-06", description: "Préparation de 300 repas par jour." },
      { kind: "training", title: "CAP Cuisine", organisation: "", place: "", start: "", end: "", description: "" },
    ],
    languages: [{ name: "Français", level: "Courant" }],
    contracts: ["cdi", "cdd_long"],
    departments: ["93", "75"],
    availability: "Tout de suite",
    transport: "Transports en commun",
    drivingLicence: false,
    passions: ["Pâtisserie", "Jardinage"],
    testimonials: [{ name: "Martine", relation: "Ancienne cheffe", text: "Fiable, toujours à l'heure, un vrai pilier." }],
    ...overrides,
  };
}

/** A published CV, as the public sees it after staff validation. */
export async function aPublishedCv(
  db: Db,
  overrides: { candidate?: PersonOverrides; coach?: PersonOverrides; content?: Partial<CvContent>; zoneId?: string } = {},
) {
  const { candidate, coach, zoneId } = await aCandidateWithCoach(db, { zoneId: overrides.zoneId, candidate: overrides.candidate, coach: overrides.coach });
  const cv = await db.transaction(async (tx) => {
    const created = await ensureCv(tx, candidate.id);
    const [version] = await tx.insert(cvVersions).values({ cvId: created.id, revision: 1, content: aCvContent(overrides.content), authorId: coach.id }).returning();
    const [published] = await tx
      .update(cvs)
      .set({ currentVersionId: version!.id, publishedVersionId: version!.id, revision: 1, status: "published", publishedAt: new Date() })
      .where(eq(cvs.id, created.id))
      .returning();
    await refreshPublicCv(tx, created.id, businessLineLabel);
    return published!;
  });
  return { candidate, coach, zoneId, cv };
}

type OfferOverrides = Partial<typeof offers.$inferInsert>;

/**
 * An offer as an employer sends it through the form (validated unless told otherwise), at one
 * workplace. Pass `to` to address it to candidates (as the employer's picker does).
 */
export async function anOffer(db: Db, overrides: OfferOverrides = {}, to: { candidateIds?: string[]; channel?: OfferChannel } = {}) {
  const [offer] = await db
    .insert(offers)
    .values({
      groupId: randomUUID(),
      status: "validated",
      isPublic: !to.candidateIds?.length,
      company: "Boulangerie des Lilas",
      recruiterName: "Sophie Garnier",
      recruiterPosition: "Gérante",
      recruiterEmail: `recrutement.${unique()}@boulangerie.test`,
      recruiterPhone: "+33612345678",
      jobTitle: "Vendeur·se en boulangerie",
      businessLine: "retail",
      description: "Accueil des clients, vente, mise en rayon. Équipe de quatre personnes.",
      contractType: "cdi",
      department: "75",
      address: "12 rue des Lilas, 75019 Paris",
      validatedAt: overrides.status && overrides.status !== "validated" ? null : new Date(),
      ...overrides,
    })
    .returning();
  for (const candidateId of to.candidateIds ?? []) {
    await db.insert(candidateOffers).values({ offerId: offer!.id, candidateId, channel: to.channel ?? "addressed", notifiedAt: offer!.status === "validated" ? new Date() : null });
  }
  return offer!;
}
