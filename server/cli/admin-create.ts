import { parseArgs } from "node:util";
import { sql } from "drizzle-orm";
import { z } from "zod";
import { hasControlCharacter } from "../../app/domain/text";
import { ConfigError, loadConfig } from "../../app/config.server";
import { DataDirLockedError, openEmbeddedDatabase, openServerDatabase } from "../../app/db/client.server";
import { runMigrations } from "../../app/db/migrate.server";
import { auditLog, users, zones } from "../../app/db/schema";
import { issueAccountToken } from "../../app/domain/accounts/account-tokens";

/**
 * `npm run admin:create -- --email … --name "Prénom Nom" [--zone Paris]`
 * Creates the first staff account and prints a link to choose its password (valid 7 days).
 * Without --zone the account is national: it sees every zone's candidates (decision 020); with
 * it, only that zone's (the zone is created when it does not exist yet).
 *
 * It prints plain text for the person who ran it, not log lines: the link is the point of the
 * command, and a log must never hold one (decision 022).
 */
const usage = 'Usage : npm run admin:create -- --email claire@exemple.fr --name "Claire Duval" [--zone Paris]';

async function main() {
  const { values } = parseArgs({ options: { email: { type: "string" }, name: { type: "string" }, zone: { type: "string" } } });
  const email = z.email().safeParse(values.email?.trim().toLowerCase());
  const name = values.name?.trim() ?? "";
  // A name (or zone) on one line, without control characters: the same rule as the members form.
  const oneLine = [values.name ?? "", values.zone ?? ""].every((value) => !hasControlCharacter(value, { lineBreaks: false }));
  if (!email.success || !name || !oneLine) {
    console.error(`${!email.success ? "Adresse e-mail manquante ou invalide (--email)." : !oneLine ? "Nom ou zone invalide : une seule ligne, sans tabulation ni caractère de contrôle." : "Nom manquant (--name)."}\n${usage}`);
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
      const zoneName = values.zone?.trim();
      const [zone] = zoneName
        ? await tx.insert(zones).values({ name: zoneName }).onConflictDoUpdate({ target: zones.name, set: { name: zoneName } }).returning()
        : [];
      const [user] = await tx
        .insert(users)
        .values({ email: email.data, firstName: firstName!, lastName: rest.join(" ") || "-", role: "staff", zoneId: zone?.id ?? null })
        .returning();
      await tx.insert(auditLog).values({ action: "member.created", subjectType: "user", subjectId: user!.id, details: { role: "staff", via: "cli" } });
      return issueAccountToken(tx, user!.id, "invitation");
    });
    console.log(`Compte équipe créé pour ${email.data} (${values.zone?.trim() ? `zone ${values.zone.trim()}` : "national : toutes les zones"}).`);
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
