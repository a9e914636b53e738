import { parseArgs } from "node:util";
import { sql } from "drizzle-orm";
import { z } from "zod";
import { ConfigError, loadConfig } from "../../app/config.server";
import { DataDirLockedError, openEmbeddedDatabase, openServerDatabase } from "../../app/db/client.server";
import { runMigrations } from "../../app/db/migrate.server";
import { auditLog, users, zones } from "../../app/db/schema";
import { issueAccountToken } from "../../app/domain/accounts/account-tokens";

/**
 * `npm run admin:create -- --email … --name "Prénom Nom" [--zone Paris]`
 * Creates the first staff account and prints a link to choose its password (valid 7 days).
 * It prints plain text for the person who ran it, not log lines: the link is the point of the
 * command, and a log must never hold one (decision 022).
 */
const usage = 'Usage : npm run admin:create -- --email claire@exemple.fr --name "Claire Duval" [--zone Paris]';

async function main() {
  const { values } = parseArgs({ options: { email: { type: "string" }, name: { type: "string" }, zone: { type: "string" } } });
  const email = z.email().safeParse(values.email?.trim().toLowerCase());
  const name = values.name?.trim() ?? "";
  if (!email.success || !name) {
    console.error(`${!email.success ? "Adresse e-mail manquante ou invalide (--email)." : "Nom manquant (--name)."}\n${usage}`);
    process.exit(1);
  }
  const [firstName, ...rest] = name.split(/\s+/);
  const config = loadConfig();
  const database = config.databaseUrl ? openServerDatabase(config.databaseUrl, { max: 2 }) : await openEmbeddedDatabase(config.dataDir);
  try {
    await runMigrations(database);
    const token = await database.db.transaction(async (tx) => {
      const [taken] = await tx.select({ id: users.id }).from(users).where(sql`lower(${users.email}) = ${email.data}`);
      if (taken) throw new ConfigError(`Un compte existe déjà avec l'adresse ${email.data}.`);
      const zoneName = values.zone?.trim() || "Paris";
      const [zone] = await tx
        .insert(zones)
        .values({ name: zoneName })
        .onConflictDoUpdate({ target: zones.name, set: { name: zoneName } })
        .returning();
      const [user] = await tx
        .insert(users)
        .values({ email: email.data, firstName: firstName!, lastName: rest.join(" ") || "-", role: "staff", zoneId: zone!.id })
        .returning();
      await tx.insert(auditLog).values({ action: "member.created", subjectType: "user", subjectId: user!.id, details: { role: "staff", via: "cli" } });
      return issueAccountToken(tx, user!.id, "invitation");
    });
    console.log(`Compte équipe créé pour ${email.data}.`);
    console.log(`Lien pour choisir le mot de passe (7 jours, une seule fois) : ${config.publicUrl}/mot-de-passe/${token}`);
  } finally {
    await database.close();
  }
}

try {
  await main();
} catch (error) {
  if (error instanceof ConfigError || error instanceof DataDirLockedError) {
    console.error(error.message);
    process.exit(1);
  }
  throw error;
}
