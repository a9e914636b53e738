import { readFileSync } from "node:fs";
import path from "node:path";
import { anOffer, aPublishedCv, aStaffMember } from "../../app/db/factories";
import { createCohort, addCohortMember } from "../../app/domain/sharing/cohorts";
import { createShareLink } from "../../app/domain/sharing/share-links";
import { issueAccountToken } from "../../app/domain/accounts/account-tokens";
import { MAX_FORM_BYTES } from "../../app/http/forms.server";
import { PHOTO_LIMITS } from "../../app/domain/cv/photos.server";
import routes from "../../app/routes";
import { HttpClient } from "./http-client";
import type { TestApp } from "./test-app";

/**
 * Every route of the route table (app/routes.ts), each with a real address to open and the
 * person who may open it, and every form a route answers (its fields read from the page the
 * route serves and from its module's source). Project-wide tests walk these instead of a
 * hand-kept list: a new route or form is covered as soon as it is in the table.
 */

type RouteEntry = { path?: string; file: string; index?: boolean; children?: RouteEntry[] };
export type RouteInfo = { path: string; file: string; source: string; hasAction: boolean; params: string[] };

const appDir = path.resolve(import.meta.dirname, "../../app");

export function routeTable(): RouteInfo[] {
  const flat = (entries: RouteEntry[], prefix = ""): RouteInfo[] =>
    entries.flatMap((r) => {
      const full = r.index ? prefix : [prefix, r.path].filter(Boolean).join("/");
      const source = readFileSync(path.join(appDir, r.file), "utf8");
      const info: RouteInfo = {
        path: full,
        file: r.file,
        source,
        hasAction: /export\s+(async\s+)?function\s+action\b|export\s+const\s+action\b/.test(source),
        params: [...full.matchAll(/:(\w+)/g)].map((m) => m[1]!),
      };
      return [info, ...flat(r.children ?? [], full)];
    });
  return flat(routes as RouteEntry[]);
}

export type Actor = "anonymous" | "staff" | "coach";

/** Staff pages are opened by staff, personal spaces by the candidate's coach, the rest anonymously. */
export function actorFor(routePath: string): Actor {
  if (routePath.startsWith("admin")) return "staff";
  if (routePath.startsWith("espace") || routePath === "compte") return "coach";
  return "anonymous";
}

export type World = Awaited<ReturnType<typeof aRouteWorld>>;

/** One of everything a route may name: a published CV with its pair, an offer, a cohort, a share link, an account link. */
export async function aRouteWorld(app: TestApp) {
  const published = await aPublishedCv(app.db);
  const { candidate, coach, zoneId, cv } = published;
  const staff = await aStaffMember(app.db, { zoneId });
  const offer = await anOffer(app.db, {}, { candidateIds: [candidate.id] });
  const cohort = await createCohort(app.db, staff, { name: `Promo ${cv.slug}`, description: "" });
  await addCohortMember(app.db, staff, cohort.id, { cv: cv.slug });
  const link = await createShareLink(app.db, (app.services as unknown as { sessionSecret: string }).sessionSecret, cv.slug);
  const clients: Record<Actor, HttpClient> = { anonymous: new HttpClient(app.url), staff: new HttpClient(app.url), coach: new HttpClient(app.url) };
  await clients.staff.signIn(staff.email, staff.password!);
  await clients.coach.signIn(coach.email, coach.password!);
  const fakeToken = "A".repeat(43);

  /** A real value for each path parameter of a route. */
  const param = (routePath: string, name: string): string => {
    switch (name) {
      case "candidateId":
        return candidate.id;
      case "offerId":
        return offer.id;
      case "id":
        if (routePath.startsWith("admin/promos")) return cohort.id;
        if (routePath.startsWith("admin/offres")) return offer.id;
        if (routePath.startsWith("admin/membres")) return candidate.id;
        return "00000000-0000-4000-8000-000000000000";
      case "slug":
        return routePath.startsWith("promo") || routePath.startsWith("partager-promo") ? cohort.slug : cv.slug;
      case "network":
        return "linkedin";
      case "code":
        return link.code;
      case "key":
        return link.key;
      case "photo":
        return "00000000-0000-4000-8000-000000000000.jpg";
      default:
        return fakeToken; // account, check-in and one-click links: read from their own store below
    }
  };

  /** The address of a route, its parameters filled (or replaced by `override`). */
  const urlFor = (route: RouteInfo, override?: (name: string) => string | undefined): string => {
    if (route.path === "*") return "/introuvable";
    return `/${route.path.replace(/:(\w+)/g, (_, name: string) => override?.(name) ?? param(route.path, name))}`;
  };

  return {
    ...published,
    staff,
    offer,
    cohort,
    link,
    clients,
    param,
    urlFor,
    /** A fresh password link: the set-password form shows only while it is unused. */
    passwordToken: () => issueAccountToken(app.db, candidate.id, "password_reset"),
    clientFor: (route: RouteInfo) => clients[actorFor(route.path)],
    /** After "sign out everywhere": a new session for the same person. */
    async signInAgain(actor: Actor) {
      if (actor === "anonymous") return;
      // From an address of its own: the sign-in limit per IP is not what is under test.
      clients[actor] = new HttpClient(app.url, { "X-Forwarded-For": `10.250.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}` });
      const person = actor === "staff" ? staff : coach;
      await clients[actor].signIn(person.email, person.password!);
    },
    candidateId: candidate.id,
    coachId: coach.id,
    zoneId,
    cvSlug: cv.slug,
  };
}

export type FormField = { name: string; kind: "text" | "hidden" | "file"; value: string };
export type FormTarget = {
  route: RouteInfo;
  url: string;
  actor: Actor;
  /** The largest body the route accepts: forms with a file take a photo on top. */
  maxBytes: number;
  fields: FormField[];
  /** Each submit button (or hidden intent) is one way to post the form. */
  variants: [string, string][][];
};

const decode = (value: string) =>
  value.replace(/&quot;/g, '"').replace(/&#x27;/g, "'").replace(/&#39;/g, "'").replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&");
const attr = (tag: string, name: string) => {
  const match = new RegExp(`\\s${name}="([^"]*)"`).exec(tag);
  return match ? decode(match[1]!) : undefined;
};

/** The posting forms of a page (action empty or its own path), as fields and submit variants. */
function formsIn(html: string, pagePath: string): { fields: FormField[]; variants: [string, string][][]; file: boolean }[] {
  const found: { fields: FormField[]; variants: [string, string][][]; file: boolean }[] = [];
  for (const match of html.matchAll(/<form\b([^>]*)>([\s\S]*?)<\/form>/g)) {
    const [, open, inner] = match as unknown as [string, string, string];
    if ((attr(open, "method") ?? "get").toLowerCase() !== "post") continue;
    const action = attr(open, "action");
    if (action && new URL(action, "http://x").pathname !== pagePath) continue;
    const fields: FormField[] = [];
    const variants: [string, string][][] = [];
    for (const tag of inner.match(/<(input|textarea|select|button)\b[^>]*>/g) ?? []) {
      const name = attr(tag, "name");
      if (!name || name === "csrf") continue;
      const type = (attr(tag, "type") ?? (tag.startsWith("<button") ? "submit" : "text")).toLowerCase();
      if (tag.startsWith("<button") || type === "submit") {
        variants.push([[name, attr(tag, "value") ?? ""]]);
        continue;
      }
      if (type === "file") fields.push({ name, kind: "file", value: "" });
      else if (type === "hidden") fields.push({ name, kind: "hidden", value: attr(tag, "value") ?? "" });
      else if (!fields.some((f) => f.name === name)) fields.push({ name, kind: "text", value: attr(tag, "value") ?? "" });
    }
    found.push({ fields, variants, file: fields.some((f) => f.kind === "file") });
  }
  return found;
}

/** Field names a route's action reads (`form.get("…")`), for forms its page does not show (an invalid link). */
function fieldsReadBy(source: string): string[] {
  return [...new Set([...source.matchAll(/\.(?:get|getAll)\("([^"]+)"\)/g)].map((m) => m[1]!))].filter((name) => !["Cookie", "User-Agent", "Content-Type"].includes(name));
}

/** Every form of every route with an action, as the person who may post it sees it. */
export async function everyForm(world: World): Promise<FormTarget[]> {
  const targets: FormTarget[] = [];
  for (const route of routeTable().filter((r) => r.hasAction)) {
    const override = route.path === "mot-de-passe/:token" ? await world.passwordToken() : undefined;
    const url = world.urlFor(route, (name) => (name === "token" ? override : undefined));
    const actor = actorFor(route.path);
    const page = await world.clients[actor].get(url);
    const html = page.status < 300 ? await page.text() : "";
    const pagePath = new URL(url, "http://x").pathname;
    const forms = formsIn(html, pagePath);
    const read = fieldsReadBy(route.source);
    if (forms.length === 0) forms.push({ fields: [], variants: [], file: false });
    for (const form of forms) {
      for (const name of read) if (!form.fields.some((f) => f.name === name) && !form.variants.some((v) => v[0]![0] === name)) form.fields.push({ name, kind: "text", value: "" });
      const hiddenIntent = form.fields.filter((f) => f.kind === "hidden" && (f.name === "intent" || f.name === "transition"));
      const variants = form.variants.length ? form.variants : hiddenIntent.length ? [hiddenIntent.map((f) => [f.name, f.value] as [string, string])] : [[]];
      targets.push({
        route,
        url,
        actor,
        maxBytes: form.file ? PHOTO_LIMITS.bytes + MAX_FORM_BYTES : MAX_FORM_BYTES,
        fields: form.fields.filter((f) => !variants.some((v) => v.some(([name]) => name === f.name))),
        variants,
      });
    }
  }
  return targets;
}
