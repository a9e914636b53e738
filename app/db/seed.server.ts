import { count } from "drizzle-orm";
import type { Db } from "./client.server";
import { aCandidate, aCandidateWithCoach, aCoach, anOffer, aPairing, aPublishedCv, aStaffMember, aZone } from "./factories";
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

    // The demo staff account is national (no zone): it sees the three cities' candidates. Karim
    // and Sophie work inside their zone only (decision 020).
    await aStaffMember(tx, { firstName: "Claire", lastName: "Duval", email: "staff@demo.linkedout.fr", password, zoneId: null });
    await aStaffMember(tx, { firstName: "Karim", lastName: "Haddad", email: "karim.haddad@demo.linkedout.fr", password, zoneId: lyon.id });
    await aStaffMember(tx, { firstName: "Sophie", lastName: "Lemaire", email: "sophie.lemaire@demo.linkedout.fr", password, zoneId: lille.id });

    // Hélène, retired accountant, coaches Mourad (former mason, two years on the street) and Fatou.
    const { coach: helene, candidate: mourad } = await aCandidateWithCoach(tx, {
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

    // Published CVs, so the gallery and the public pages have something to share.
    const samia = await aPublishedCv(tx, {
      zoneId: paris.id,
      candidate: { firstName: "Samia", lastName: "Haddouche", email: "samia.haddouche@demo.linkedout.fr", password },
      coach: { firstName: "Bernard", lastName: "Lefèvre", email: "bernard.lefevre@demo.linkedout.fr", password },
    });
    await aPublishedCv(tx, {
      zoneId: lyon.id,
      candidate: { firstName: "Didier", lastName: "Lambert", email: "didier.lambert@demo.linkedout.fr", password },
      coach: { firstName: "Rachid", lastName: "Belkacem", email: "rachid.belkacem@demo.linkedout.fr", password },
      content: {
        catchphrase: "Maçon depuis 20 ans, le chantier c'est ma vie",
        story: "J'ai monté des murs pendant vingt ans. Après la faillite de mon patron et un divorce, j'ai dormi trois hivers dehors. Je suis solide, ponctuel, et j'ai envie de transmettre aux jeunes.",
        goals: [{ businessLine: "construction", job: "Maçon" }],
        skills: ["Maçonnerie traditionnelle", "Lecture de plans", "Ponctuel", "Transmettre"],
        experiences: [{ kind: "experience", title: "Maçon", organisation: "Entreprise Bâti-Rhône", place: "Villeurbanne", start: "1999-01", end: "2019-12", description: "Gros œuvre, coffrage, enduits." }],
        departments: ["69", "01"],
        contracts: ["cdi", "temping"],
        drivingLicence: true,
        transport: "Voiture",
        passions: ["Pêche", "Football"],
        testimonials: [{ name: "Gérard", relation: "Ancien chef de chantier", text: "Le premier arrivé sur le chantier, le dernier parti." }],
      },
    });
    await aPublishedCv(tx, {
      zoneId: lille.id,
      candidate: { firstName: "Aminata", lastName: "Koné", email: "aminata.kone@demo.linkedout.fr", password },
      coach: { firstName: "Martine", lastName: "Delattre", email: "martine.delattre@demo.linkedout.fr", password },
      content: {
        catchphrase: "Douce et organisée, j'aime prendre soin des autres",
        story: "Arrivée en France il y a six ans, j'ai gardé des enfants et aidé des personnes âgées sans être déclarée. Aujourd'hui mes papiers sont en règle et je veux un vrai contrat.",
        goals: [{ businessLine: "personal_care", job: "Auxiliaire de vie" }],
        skills: ["Patience", "Cuisine familiale", "Écoute", "Organisation"],
        experiences: [{ kind: "training", title: "Titre professionnel ADVF", organisation: "AFPA", place: "Lille", start: "2024-09", end: "2025-03", description: "" }],
        departments: ["59"],
        contracts: ["cdi", "cdd_long", "insertion"],
        languages: [
          { name: "Français", level: "Courant" },
          { name: "Bambara", level: "Langue maternelle" },
        ],
        passions: ["Couture", "Chant"],
        testimonials: [{ name: "Mme Dubois", relation: "Personne accompagnée", text: "Aminata est ponctuelle et d'une grande gentillesse." }],
      },
    });

    // Offers: one addressed to Samia and live, one public waiting for staff, one held as likely
    // spam, a public one in Lyon that fits Didier, and one Hélène found for Mourad through her network.
    await anOffer(tx, { zoneId: paris.id, message: "Votre sourire et votre sérieux nous ont convaincus : appelez-nous !" }, { candidateIds: [samia.candidate.id] });
    await anOffer(tx, {
      zoneId: paris.id,
      status: "pending",
      company: "Hôtel du Canal",
      recruiterName: "Nathalie Petit",
      jobTitle: "Agent·e d'entretien",
      businessLine: "cleaning",
      description: "Entretien des chambres et des parties communes, en équipe de cinq. Formation sur place.",
      contractType: "cdd_long",
      department: "75",
      address: "40 quai de Jemmapes, 75010 Paris",
    });
    await anOffer(tx, {
      zoneId: paris.id,
      status: "held",
      heldReason: "too_fast",
      company: "Gains Rapides SARL",
      recruiterName: "Max Cash",
      jobTitle: "Gagnez 5000 € par semaine depuis chez vous",
      businessLine: "finance_legal_hr",
      description: "Cliquez sur notre lien pour commencer.",
      contractType: "other",
      department: "93",
      address: "",
    });
    await anOffer(tx, {
      zoneId: lyon.id,
      company: "Bâtir Ensemble",
      recruiterName: "Marc Rey",
      jobTitle: "Maçon·ne",
      businessLine: "construction",
      description: "Gros œuvre sur des chantiers de logements sociaux. Équipe bienveillante, tutorat à l'arrivée.",
      contractType: "cdi",
      department: "69",
      address: "15 rue de Gerland, 69007 Lyon",
    });
    await anOffer(
      tx,
      {
        zoneId: paris.id,
        origin: "network",
        isPublic: false,
        createdById: helene.id,
        company: "Les Jardins de Belleville",
        recruiterName: "",
        recruiterPosition: "",
        recruiterEmail: "",
        recruiterPhone: "",
        jobTitle: "Jardinier",
        businessLine: "agriculture",
        description: "Un ami d'Hélène cherche un jardinier pour le printemps.",
        contractType: "cdd_short",
        address: "",
      },
      { candidateIds: [mourad.id], channel: "external" },
    );
  });
  return true;
}
