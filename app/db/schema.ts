import { sql } from "drizzle-orm";
import {
  bigserial,
  boolean,
  check,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
  customType,
  type AnyPgColumn,
} from "drizzle-orm/pg-core";
import type { CvContent } from "~/domain/cv/content";
import type { PublicCv } from "~/domain/cv/public-cv";

const bytea = customType<{ data: Buffer; driverData: Buffer }>({ dataType: () => "bytea" });

const createdAt = () => timestamp("created_at", { withTimezone: true }).notNull().defaultNow();

/** A city or area run by a local staff team. Zones are data, not code. */
export const zones = pgTable("zones", {
  id: uuid("id").primaryKey().defaultRandom(),
  name: text("name").notNull().unique(),
  /** Department codes ("75", "2A", "971") the zone covers. */
  departments: text("departments").array().notNull().default(sql`'{}'::text[]`),
  createdAt: createdAt(),
});

export const roles = ["staff", "coach", "candidate"] as const;
export type Role = (typeof roles)[number];
export const locales = ["fr", "en"] as const;
export type Locale = (typeof locales)[number];

export const users = pgTable(
  "users",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    email: text("email").notNull(),
    firstName: text("first_name").notNull(),
    lastName: text("last_name").notNull(),
    role: text("role", { enum: roles }).notNull(),
    zoneId: uuid("zone_id").references(() => zones.id),
    locale: text("locale", { enum: locales }).notNull().default("fr"),
    passwordHash: text("password_hash"),
    createdById: uuid("created_by_id"),
    createdAt: createdAt(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
    deactivatedAt: timestamp("deactivated_at", { withTimezone: true }),
  },
  (table) => [
    uniqueIndex("users_email_lower_unique").on(sql`lower(${table.email})`),
    index("users_role_zone_idx").on(table.role, table.zoneId),
    index("users_name_idx").on(table.lastName, table.firstName),
    check("users_role_check", sql`${table.role} in ('staff', 'coach', 'candidate')`),
    check("users_locale_check", sql`${table.locale} in ('fr', 'en')`),
  ],
);

/** A candidate has at most one open pairing; a coach may have many. Ended pairings stay as history. */
export const pairings = pgTable(
  "pairings",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    candidateId: uuid("candidate_id").notNull().references(() => users.id),
    coachId: uuid("coach_id").notNull().references(() => users.id),
    startedAt: createdAt().$type<Date>(),
    startedById: uuid("started_by_id").references(() => users.id),
    endedAt: timestamp("ended_at", { withTimezone: true }),
    endedById: uuid("ended_by_id").references(() => users.id),
  },
  (table) => [
    uniqueIndex("pairings_one_open_per_candidate").on(table.candidateId).where(sql`${table.endedAt} is null`),
    index("pairings_coach_idx").on(table.coachId),
  ],
);

export const sessions = pgTable(
  "sessions",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    /** SHA-256 of the cookie token: a leaked table cannot be replayed. */
    tokenHash: text("token_hash").notNull().unique(),
    userId: uuid("user_id").notNull().references(() => users.id),
    createdAt: createdAt(),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
    revokedAt: timestamp("revoked_at", { withTimezone: true }),
    userAgent: text("user_agent"),
  },
  (table) => [index("sessions_user_idx").on(table.userId)],
);

export const tokenPurposes = ["invitation", "password_reset"] as const;
export type TokenPurpose = (typeof tokenPurposes)[number];

/** Single-use links sent by e-mail (invitation, password reset). */
export const accountTokens = pgTable(
  "account_tokens",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    userId: uuid("user_id").notNull().references(() => users.id),
    purpose: text("purpose", { enum: tokenPurposes }).notNull(),
    tokenHash: text("token_hash").notNull().unique(),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
    usedAt: timestamp("used_at", { withTimezone: true }),
    createdAt: createdAt(),
  },
  (table) => [index("account_tokens_user_idx").on(table.userId)],
);

/** Fixed-window counters shared by every web process (sign-in attempts, forms). */
export const rateLimitCounters = pgTable(
  "rate_limit_counters",
  {
    key: text("key").notNull(),
    windowStart: timestamp("window_start", { withTimezone: true }).notNull(),
    count: integer("count").notNull().default(0),
  },
  (table) => [primaryKey({ columns: [table.key, table.windowStart] })],
);

/** `failed`: will be tried again at `next_attempt_at`; `undelivered`: given up after `retry_until`, until staff send it again. */
export const outboxStatuses = ["pending", "sending", "sent", "kept", "failed", "undelivered"] as const;
export type OutboxStatus = (typeof outboxStatuses)[number];

/** Every e-mail is written here first, then sent by a job (or kept here when no SMTP is set). */
export const outbox = pgTable(
  "outbox",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    toAddress: text("to_address").notNull(),
    toUserId: uuid("to_user_id").references(() => users.id),
    template: text("template").notNull(),
    locale: text("locale", { enum: locales }).notNull().default("fr"),
    subject: text("subject").notNull(),
    textBody: text("text_body").notNull(),
    htmlBody: text("html_body").notNull(),
    status: text("status", { enum: outboxStatuses }).notNull().default("pending"),
    attempts: integer("attempts").notNull().default(0),
    lastError: text("last_error"),
    /** Set while a worker sends it: a second job for the same message finds it taken. */
    claimedAt: timestamp("claimed_at", { withTimezone: true }),
    /** The sender's lease, renewed while it sends: once past, the sender is taken for dead (decision 015). */
    leaseUntil: timestamp("lease_until", { withTimezone: true }),
    /** A failed message is tried again from then on (backoff capped at 30 minutes). */
    nextAttemptAt: timestamp("next_attempt_at", { withTimezone: true }),
    /** Failures after this leave the message undelivered, shown to staff (3 days after writing, or after "renvoyer"). */
    retryUntil: timestamp("retry_until", { withTimezone: true })
      .notNull()
      .default(sql`now() + interval '3 days'`),
    createdAt: createdAt(),
    sentAt: timestamp("sent_at", { withTimezone: true }),
    /** A message that must never go twice (a reminder, a piece of news) carries a unique key. */
    dedupKey: text("dedup_key").unique(),
  },
  (table) => [index("outbox_created_idx").on(table.createdAt), index("outbox_status_idx").on(table.status)],
);

/** Who changed what, and when. */
export const auditLog = pgTable(
  "audit_log",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    actorId: uuid("actor_id").references(() => users.id),
    action: text("action").notNull(),
    subjectType: text("subject_type").notNull(),
    subjectId: text("subject_id").notNull(),
    details: jsonb("details").$type<Record<string, unknown>>().notNull().default({}),
    createdAt: createdAt(),
  },
  (table) => [index("audit_log_subject_idx").on(table.subjectType, table.subjectId)],
);

export const cvStatuses = ["draft", "submitted", "changes_requested", "published", "hidden", "unpublished"] as const;
export type CvStatus = (typeof cvStatuses)[number];

/**
 * One CV per candidate. Its content lives in versions: `currentVersionId` is the latest save,
 * `publishedVersionId` what the public sees (it stays until staff publish a newer one).
 */
export const cvs = pgTable(
  "cvs",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    candidateId: uuid("candidate_id").notNull().unique().references(() => users.id),
    /** First name + short random part: stable, shareable, not guessable from the name alone. */
    slug: text("slug").notNull().unique(),
    status: text("status", { enum: cvStatuses }).notNull().default("draft"),
    currentVersionId: uuid("current_version_id"),
    publishedVersionId: uuid("published_version_id"),
    /** The version sent for review: staff publish this one, not whatever was saved after it. */
    submittedVersionId: uuid("submitted_version_id"),
    /** Incremented on every save: a save based on an older revision is refused (no silent overwrite). */
    revision: integer("revision").notNull().default(0),
    employedAt: timestamp("employed_at", { withTimezone: true }),
    /** YYYY-MM-DD: "en emploi jusqu'au …" (null with employedAt: open-ended job). */
    employedUntil: text("employed_until"),
    publishedAt: timestamp("published_at", { withTimezone: true }),
    createdAt: createdAt(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [check("cvs_status_check", sql`${table.status} in ('draft', 'submitted', 'changes_requested', 'published', 'hidden', 'unpublished')`)],
);

/** Every save is kept. */
export const cvVersions = pgTable(
  "cv_versions",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    cvId: uuid("cv_id").notNull().references(() => cvs.id),
    revision: integer("revision").notNull(),
    content: jsonb("content").$type<CvContent>().notNull(),
    authorId: uuid("author_id").references(() => users.id),
    createdAt: createdAt(),
  },
  (table) => [uniqueIndex("cv_versions_cv_revision").on(table.cvId, table.revision)],
);

/** The workflow's transition log: who, when, from, to, comment. */
export const cvTransitions = pgTable(
  "cv_transitions",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    cvId: uuid("cv_id").notNull().references(() => cvs.id),
    transition: text("transition").notNull(),
    fromStatus: text("from_status").notNull(),
    toStatus: text("to_status").notNull(),
    actorId: uuid("actor_id").references(() => users.id),
    comment: text("comment"),
    createdAt: createdAt(),
  },
  (table) => [index("cv_transitions_cv_idx").on(table.cvId, table.createdAt)],
);

/** Photos, stored in the database so web processes stay stateless (JPEG, metadata stripped). */
export const cvPhotos = pgTable("cv_photos", {
  id: uuid("id").primaryKey().defaultRandom(),
  cvId: uuid("cv_id").notNull().references(() => cvs.id),
  square: bytea("square").notNull(),
  large: bytea("large").notNull(),
  createdAt: createdAt(),
});

export const renditionKinds = ["preview", "pdf"] as const;
export type RenditionKind = (typeof renditionKinds)[number];

/**
 * The public preview image and PDF of a published version, rendered once and then served from
 * here. Keyed by version: a new publication gets new renditions; nothing private is ever stored.
 */
export const cvRenditions = pgTable(
  "cv_renditions",
  {
    versionId: uuid("version_id").notNull().references(() => cvVersions.id),
    kind: text("kind", { enum: renditionKinds }).notNull(),
    bytes: bytea("bytes").notNull(),
    createdAt: createdAt(),
  },
  (table) => [primaryKey({ columns: [table.versionId, table.kind] }), check("cv_renditions_kind_check", sql`${table.kind} in ('preview', 'pdf')`)],
);

/**
 * The public projection of every published CV, rebuilt on publication: the gallery, search and
 * public surfaces read only this table. No contact details, no last name, no coach.
 */
export const publicCvs = pgTable(
  "public_cvs",
  {
    cvId: uuid("cv_id").primaryKey().references(() => cvs.id),
    slug: text("slug").notNull().unique(),
    versionId: uuid("version_id").notNull(),
    card: jsonb("card").$type<PublicCv>().notNull(),
    businessLines: text("business_lines").array().notNull(),
    departments: text("departments").array().notNull(),
    regions: text("regions").array().notNull(),
    contracts: text("contracts").array().notNull(),
    employed: boolean("employed").notNull().default(false),
    searchText: text("search_text").notNull(),
    views: integer("views").notNull().default(0),
    shares: integer("shares").notNull().default(0),
    publishedAt: timestamp("published_at", { withTimezone: true }).notNull(),
  },
  (table) => [
    index("public_cvs_search_idx").using("gin", sql`to_tsvector('linkedout_fr', ${table.searchText})`),
    index("public_cvs_business_lines_idx").using("gin", table.businessLines),
    index("public_cvs_departments_idx").using("gin", table.departments),
    index("public_cvs_regions_idx").using("gin", table.regions),
    index("public_cvs_contracts_idx").using("gin", table.contracts),
    index("public_cvs_exposure_idx").on(table.employed, table.views, table.shares),
  ],
);

export const shareNetworks = ["linkedin", "facebook", "x", "whatsapp", "email", "copy", "native"] as const;
export type ShareNetwork = (typeof shareNetworks)[number];

/**
 * Measured sharing: one row per visitor, CV, network and day (a flood from one client counts
 * once). `visitorHash` is an HMAC of IP and browser with a key that changes every day: no raw
 * IP address is ever stored, and yesterday's visitors cannot be linked to today's.
 */
export const shareEvents = pgTable(
  "share_events",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    cvId: uuid("cv_id").notNull().references(() => cvs.id),
    network: text("network", { enum: shareNetworks }).notNull(),
    day: text("day").notNull(),
    visitorHash: text("visitor_hash").notNull(),
    /** The day's pseudonym of the visitor's address block (/24, /64): caps what one address adds (decision 019). */
    prefixHash: text("prefix_hash"),
    /** The personal share link the sharer arrived through (a share of a share), if any. */
    shareLinkId: uuid("share_link_id").references(() => shareLinks.id),
    createdAt: createdAt(),
  },
  (table) => [
    index("share_events_share_link_idx").on(table.shareLinkId),
    uniqueIndex("share_events_once_a_day").on(table.cvId, table.network, table.day, table.visitorHash),
    index("share_events_cv_idx").on(table.cvId),
    index("share_events_prefix_idx").on(table.cvId, table.network, table.day, table.prefixHash),
  ],
);

/** Page views, once per visitor per CV per day; the owner, their coach, staff and bots never count. */
export const viewEvents = pgTable(
  "view_events",
  {
    cvId: uuid("cv_id").notNull().references(() => cvs.id),
    day: text("day").notNull(),
    visitorHash: text("visitor_hash").notNull(),
    /** The day's pseudonym of the visitor's address block (/24, /64): caps what one address adds (decision 019). */
    prefixHash: text("prefix_hash"),
    /** The personal share link the visitor arrived through, if any. */
    shareLinkId: uuid("share_link_id").references(() => shareLinks.id),
    createdAt: createdAt(),
  },
  (table) => [
    primaryKey({ columns: [table.cvId, table.day, table.visitorHash] }),
    index("view_events_share_link_idx").on(table.shareLinkId),
    index("view_events_prefix_idx").on(table.cvId, table.day, table.prefixHash),
  ],
);

/** Figures entered by hand (historical, from before the platform): shown apart, never added to measured ones. */
export const declaredFigures = pgTable("declared_figures", {
  id: uuid("id").primaryKey().defaultRandom(),
  label: text("label").notNull(),
  value: integer("value").notNull(),
  source: text("source").notNull().default(""),
  createdById: uuid("created_by_id").references(() => users.id),
  createdAt: createdAt(),
});

/**
 * A personal share link, made by anyone without an account: the public `code` goes in the link
 * (/s/CODE), the secret key opens the sharer's private page (/partage/KEY) and is stored hashed.
 */
export const shareLinks = pgTable(
  "share_links",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    code: text("code").notNull().unique(),
    keyHash: text("key_hash").notNull().unique(),
    /** The link leads to one CV (/cv/:slug) or to one cohort page (/promo/:slug): exactly one is set. */
    cvId: uuid("cv_id").references(() => cvs.id),
    cohortId: uuid("cohort_id").references((): AnyPgColumn => cohorts.id, { onDelete: "cascade" }),
    /** Optional e-mail for news, used only once confirmed (double opt-in). */
    email: text("email"),
    emailTokenHash: text("email_token_hash"),
    emailConfirmedAt: timestamp("email_confirmed_at", { withTimezone: true }),
    createdAt: createdAt(),
  },
  (table) => [
    index("share_links_cv_idx").on(table.cvId),
    index("share_links_cohort_idx").on(table.cohortId),
    check("share_links_one_target", sql`(${table.cvId} is null) <> (${table.cohortId} is null)`),
  ],
);

/** A cohort ("promo"): a group of candidates shown together on /promo/:slug. */
export const cohorts = pgTable("cohorts", {
  id: uuid("id").primaryKey().defaultRandom(),
  slug: text("slug").notNull().unique(),
  name: text("name").notNull(),
  description: text("description").notNull().default(""),
  createdById: uuid("created_by_id").references(() => users.id),
  createdAt: createdAt(),
});

export const cohortMembers = pgTable(
  "cohort_members",
  {
    cohortId: uuid("cohort_id")
      .notNull()
      .references(() => cohorts.id, { onDelete: "cascade" }),
    cvId: uuid("cv_id")
      .notNull()
      .references(() => cvs.id),
    addedAt: createdAt(),
  },
  (table) => [primaryKey({ columns: [table.cohortId, table.cvId] }), index("cohort_members_cv_idx").on(table.cvId)],
);

/** Texts staff edit without a deploy (e.g. the pre-filled share text), by key. */
export const siteTexts = pgTable("site_texts", {
  key: text("key").primaryKey(),
  value: text("value").notNull(),
  updatedById: uuid("updated_by").references(() => users.id),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
});

/* ---------------------------------------------------------------------------------------------
 * Opportunities: offers from employers (or found elsewhere), their moderation, each candidate's
 * follow-up, hires and the check-ins after them.
 * ------------------------------------------------------------------------------------------- */

export const offerStatuses = ["pending", "held", "validated", "refused", "archived"] as const;
export type OfferStatus = (typeof offerStatuses)[number];
/** Where an offer came from: the employer form, or found elsewhere by the candidate or coach. */
export const offerOrigins = ["employer", "network", "internet", "job_counsellor"] as const;
export type OfferOrigin = (typeof offerOrigins)[number];

/**
 * One offer per workplace: an employer's form with three places makes three offers sharing a
 * `groupId`. Recruiter contact details are never public; candidates see them once they engage.
 */
export const offers = pgTable(
  "offers",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    groupId: uuid("group_id").notNull(),
    /** The staff team that moderates it (from the workplace's department); null: every staff. */
    zoneId: uuid("zone_id").references(() => zones.id),
    status: text("status", { enum: offerStatuses }).notNull().default("pending"),
    /** Why an offer was held back as likely spam (honeypot, too fast, flood), for staff. */
    heldReason: text("held_reason"),
    refusedReason: text("refused_reason"),
    /** Public: to every candidate whose CV fits; otherwise only to the addressed candidates. */
    isPublic: boolean("is_public").notNull(),
    origin: text("origin", { enum: offerOrigins }).notNull().default("employer"),
    company: text("company").notNull(),
    recruiterName: text("recruiter_name").notNull(),
    recruiterPosition: text("recruiter_position").notNull().default(""),
    recruiterEmail: text("recruiter_email").notNull(),
    /** E.164 (+33612345678), normalised from what was typed. */
    recruiterPhone: text("recruiter_phone").notNull().default(""),
    recruiterLocale: text("recruiter_locale", { enum: locales }).notNull().default("fr"),
    jobTitle: text("job_title").notNull(),
    businessLine: text("business_line").notNull(),
    description: text("description").notNull(),
    prerequisites: text("prerequisites").notNull().default(""),
    contractType: text("contract_type").notNull(),
    /** YYYY-MM-DD */
    startDate: text("start_date"),
    endDate: text("end_date"),
    partTime: boolean("part_time").notNull().default(false),
    hours: text("hours").notNull().default(""),
    salary: text("salary").notNull().default(""),
    drivingLicence: boolean("driving_licence").notNull().default(false),
    positions: integer("positions").notNull().default(1),
    department: text("department").notNull(),
    address: text("address").notNull().default(""),
    /** A word for the addressed candidate(s). */
    message: text("message").notNull().default(""),
    /** The personal share link the employer arrived through, if any. */
    shareLinkId: uuid("share_link_id").references(() => shareLinks.id),
    /** Set when a candidate, coach or staff member added it (offers found elsewhere). */
    createdById: uuid("created_by_id").references(() => users.id),
    createdAt: createdAt(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
    validatedAt: timestamp("validated_at", { withTimezone: true }),
  },
  (table) => [
    index("offers_status_zone_idx").on(table.status, table.zoneId),
    index("offers_group_idx").on(table.groupId),
    index("offers_share_link_idx").on(table.shareLinkId),
    check("offers_status_check", sql`${table.status} in ('pending', 'held', 'validated', 'refused', 'archived')`),
    check("offers_positions_check", sql`${table.positions} between 1 and 500`),
  ],
);

/** Every change of an offer's moderation status: who, when, from, to, why. */
export const offerTransitions = pgTable(
  "offer_transitions",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    offerId: uuid("offer_id")
      .notNull()
      .references(() => offers.id),
    fromStatus: text("from_status"),
    toStatus: text("to_status").notNull(),
    actorId: uuid("actor_id").references(() => users.id),
    comment: text("comment"),
    createdAt: createdAt(),
  },
  (table) => [index("offer_transitions_offer_idx").on(table.offerId)],
);

export const followUpStatuses = ["to_process", "contacted", "interview", "hired", "refused_before_interview", "refused_after_interview"] as const;
export type FollowUpStatus = (typeof followUpStatuses)[number];
/** How an offer reached a candidate. */
export const offerChannels = ["addressed", "recommended", "interested", "external"] as const;
export type OfferChannel = (typeof offerChannels)[number];

/** One offer as one candidate follows it: status, bookmark, archive, private note, seen or not. */
export const candidateOffers = pgTable(
  "candidate_offers",
  {
    offerId: uuid("offer_id")
      .notNull()
      .references(() => offers.id),
    candidateId: uuid("candidate_id")
      .notNull()
      .references(() => users.id),
    channel: text("channel", { enum: offerChannels }).notNull(),
    status: text("status", { enum: followUpStatuses }).notNull().default("to_process"),
    bookmarked: boolean("bookmarked").notNull().default(false),
    archived: boolean("archived").notNull().default(false),
    /** Private to the candidate, their coach and staff. */
    note: text("note").notNull().default(""),
    /** When the recruiter's contact was shown (the candidate engaged). */
    contactRevealedAt: timestamp("contact_revealed_at", { withTimezone: true }),
    /** When the candidate was told (dispatch, recommendation): reminders count from here. */
    notifiedAt: timestamp("notified_at", { withTimezone: true }),
    seenByCandidateAt: timestamp("seen_by_candidate_at", { withTimezone: true }),
    seenByCoachAt: timestamp("seen_by_coach_at", { withTimezone: true }),
    statusChangedAt: timestamp("status_changed_at", { withTimezone: true }),
    createdAt: createdAt(),
  },
  (table) => [
    primaryKey({ columns: [table.offerId, table.candidateId] }),
    index("candidate_offers_candidate_idx").on(table.candidateId),
    check("candidate_offers_status_check", sql`${table.status} in ('to_process', 'contacted', 'interview', 'hired', 'refused_before_interview', 'refused_after_interview')`),
  ],
);

/** Every follow-up change (status, bookmark, archive, note, contact shown), visible to staff. */
export const followUpLog = pgTable(
  "follow_up_log",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    offerId: uuid("offer_id")
      .notNull()
      .references(() => offers.id),
    candidateId: uuid("candidate_id")
      .notNull()
      .references(() => users.id),
    actorId: uuid("actor_id").references(() => users.id),
    change: text("change").notNull(),
    fromValue: text("from_value"),
    toValue: text("to_value"),
    createdAt: createdAt(),
  },
  (table) => [index("follow_up_log_offer_candidate_idx").on(table.offerId, table.candidateId)],
);

/** A hire: contract type, start and end. Check-ins follow at 1, 3 and 6 months after the start. */
export const hires = pgTable(
  "hires",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    candidateId: uuid("candidate_id")
      .notNull()
      .references(() => users.id),
    offerId: uuid("offer_id").references(() => offers.id),
    contractType: text("contract_type").notNull(),
    /** YYYY-MM-DD */
    startDate: text("start_date").notNull(),
    endDate: text("end_date"),
    /** The employer's address for check-ins (from the offer, or typed when the hire came from elsewhere). */
    employerEmail: text("employer_email"),
    employerName: text("employer_name").notNull().default(""),
    createdById: uuid("created_by_id").references(() => users.id),
    createdAt: createdAt(),
  },
  (table) => [index("hires_candidate_idx").on(table.candidateId)],
);

export const checkInParties = ["candidate", "employer"] as const;
export const checkInAnswers = ["fine", "need_talk"] as const;
export type CheckInAnswer = (typeof checkInAnswers)[number];

/**
 * A post-hire check-in with one party, answered without signing in through a single-use link
 * (only the token's hash is stored). "need_talk" lands in the staff queue until handled.
 */
export const checkIns = pgTable(
  "check_ins",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    hireId: uuid("hire_id")
      .notNull()
      .references(() => hires.id),
    months: integer("months").notNull(),
    party: text("party", { enum: checkInParties }).notNull(),
    tokenHash: text("token_hash").notNull().unique(),
    sentAt: createdAt(),
    answer: text("answer", { enum: checkInAnswers }),
    answeredAt: timestamp("answered_at", { withTimezone: true }),
    handledAt: timestamp("handled_at", { withTimezone: true }),
    handledById: uuid("handled_by_id").references(() => users.id),
  },
  (table) => [
    uniqueIndex("check_ins_once").on(table.hireId, table.months, table.party),
    index("check_ins_answer_idx").on(table.answer, table.handledAt),
    check("check_ins_months_check", sql`${table.months} in (1, 3, 6)`),
  ],
);
