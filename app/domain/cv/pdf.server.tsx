import { createRequire } from "node:module";
import { Document, Font, Image, Page, StyleSheet, Text, View, renderToBuffer } from "@react-pdf/renderer";
import type { ReactNode } from "react";
import sharp from "sharp";
import type { Locale } from "~/db/schema";
import { departmentLabel } from "~/domain/reference/departments";
import { translator, type Translate } from "~/i18n";
import type { CompleteCv, PublicCv } from "./public-cv";

/**
 * The CV as an A4 PDF, with real (selectable, searchable) text. Server-only.
 *
 * What is printed is chosen field by field: the contact block appears only when the argument
 * is a CompleteCv (it has `email`). Callers on a public surface pass the privacy projection.
 */

const FAMILY = "Noto Sans";
const fontFile = (name: string) => createRequire(import.meta.url).resolve(`@expo-google-fonts/noto-sans/${name}/NotoSans_${name}.ttf`);

let fontsRegistered = false;
function registerFonts(): void {
  if (fontsRegistered) return;
  // Full static TTFs (Latin, Latin Extended, Cyrillic, Greek, Vietnamese in one file): names like
  // "Łukasz", "Şükrü" or "Олена" print, never a system font, never the network.
  Font.register({
    family: FAMILY,
    fonts: [
      { src: fontFile("400Regular"), fontWeight: 400 },
      { src: fontFile("700Bold"), fontWeight: 700 },
      { src: fontFile("400Regular_Italic"), fontWeight: 400, fontStyle: "italic" },
    ],
  });
  // react-pdf hyphenates with English patterns by default ("travail-ler"): never cut a word.
  Font.registerHyphenationCallback((word) => [word]);
  fontsRegistered = true;
}

const INK = "#1f2933";
const MUTED = "#52606d";
const ACCENT = "#d4531c";
const SIDEBAR = "#f5f2ee";

const s = StyleSheet.create({
  page: { fontFamily: FAMILY, fontSize: 10, color: INK, paddingTop: 36, paddingBottom: 48, paddingHorizontal: 36 },
  // Not on the page: an inherited lineHeight makes react-pdf drop the footer's page-number text.
  body: { fontSize: 10, lineHeight: 1.4 },
  header: { flexDirection: "row", alignItems: "center", marginBottom: 14 },
  photo: { width: 96, height: 96, borderRadius: 48, marginRight: 18, objectFit: "cover" },
  headerText: { flex: 1 },
  name: { fontSize: 24, fontWeight: 700, lineHeight: 1.2 },
  contact: { fontSize: 10, color: MUTED, marginTop: 2 },
  catchphrase: { fontSize: 13, fontStyle: "italic", color: ACCENT, marginTop: 6 },
  goals: { marginBottom: 14, paddingVertical: 8, paddingHorizontal: 12, borderLeftWidth: 3, borderLeftColor: ACCENT, backgroundColor: SIDEBAR },
  goal: { fontSize: 11, fontWeight: 700 },
  columns: { flexDirection: "row" },
  side: { width: 170, marginRight: 20 },
  main: { flex: 1 },
  section: { marginBottom: 12 },
  heading: { fontSize: 11, fontWeight: 700, color: ACCENT, textTransform: "uppercase", letterSpacing: 0.6, marginBottom: 4 },
  item: { marginBottom: 7 },
  itemTitle: { fontWeight: 700 },
  itemMeta: { color: MUTED, fontSize: 9 },
  bullet: { marginBottom: 2 },
  quote: { fontStyle: "italic" },
  footer: { position: "absolute", bottom: 20, left: 36, right: 36, flexDirection: "row", justifyContent: "space-between", fontSize: 8, color: MUTED },
});

export type CvPdfOptions = { photo: Buffer | null; locale: Locale };

export async function renderCvPdf(cv: PublicCv | CompleteCv, options: CvPdfOptions): Promise<Buffer> {
  registerFonts();
  const photo = options.photo ? await pdfImage(options.photo) : null;
  return renderToBuffer(<CvDocument cv={cv} photo={photo} t={translator(options.locale)} locale={options.locale} />);
}

/** react-pdf embeds JPEG and PNG only (WebP is dropped without a word): anything else becomes JPEG. */
async function pdfImage(bytes: Buffer): Promise<{ data: Buffer; format: "jpg" | "png" }> {
  if (bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return { data: bytes, format: "jpg" };
  if (bytes.subarray(0, 8).equals(PNG_SIGNATURE)) return { data: bytes, format: "png" };
  return { data: await sharp(bytes).autoOrient().flatten({ background: "#ffffff" }).jpeg({ quality: 85 }).toBuffer(), format: "jpg" };
}
const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** "2019 – 2021", "Depuis 2019", "Jusqu'en 2021", "2019", or "" from two "YYYY-MM" (or "") months. */
export function yearRange(t: Translate, start: string, end: string): string {
  const from = start.slice(0, 4);
  const to = end.slice(0, 4);
  if (from && to) return from === to ? from : t("cvDoc.dateRange", { start: from, end: to });
  if (from) return t("cvDoc.dateSince", { start: from });
  if (to) return t("cvDoc.dateUntil", { end: to });
  return "";
}

function CvDocument({ cv, photo, t, locale }: { cv: PublicCv | CompleteCv; photo: { data: Buffer; format: "jpg" | "png" } | null; t: Translate; locale: Locale }) {
  const complete = "email" in cv ? cv : null;
  const name = complete ? `${cv.firstName} ${complete.lastName}` : `${cv.firstName} ${cv.lastInitial}`;
  const contact = complete ? [complete.email, complete.phone].filter(Boolean).join("  ·  ") : "";
  const experiences = cv.experiences.filter((e) => e.kind === "experience");
  const trainings = cv.experiences.filter((e) => e.kind === "training");
  const mobility = [cv.transport, cv.drivingLicence ? t("cvDoc.drivingLicence") : ""].filter(Boolean);

  return (
    <Document title={t("cvDoc.title", { name })} author={name} creator={t("app.name")} producer={t("app.name")} language={locale === "fr" ? "fr-FR" : "en-GB"}>
      <Page size="A4" style={s.page}>
        <View style={s.body}>
          <View style={s.header}>
            {photo && <Image src={photo} style={s.photo} />}
            <View style={s.headerText}>
              <Text style={s.name}>{name}</Text>
              {contact && <Text style={s.contact}>{contact}</Text>}
              {cv.catchphrase && <Text style={s.catchphrase}>{t("cvDoc.quote", { text: cv.catchphrase })}</Text>}
            </View>
          </View>

          {cv.goals.length > 0 && (
            <View style={s.goals}>
              {cv.goals.map((g, i) => (
                <Text key={i} style={s.goal}>
                  {t("cvDoc.goal", { businessLine: t(`businessLine.${g.businessLine}`), job: g.job })}
                </Text>
              ))}
            </View>
          )}

          <View style={s.columns}>
            <View style={s.side}>
              <List title={t("cvDoc.skills")} items={cv.skills} />
              <List title={t("cvDoc.languages")} items={cv.languages.map((l) => (l.level ? t("cvDoc.languageLevel", { name: l.name, level: l.level }) : l.name))} />
              <List title={t("cvDoc.contracts")} items={cv.contracts.map((c) => t(`contract.${c}`))} />
              <List title={t("cvDoc.departments")} items={cv.departments.map(departmentLabel)} />
              <Paragraph title={t("cvDoc.availability")} text={cv.availability} />
              <List title={t("cvDoc.mobility")} items={mobility} />
              <List title={t("cvDoc.passions")} items={cv.passions} />
            </View>

            <View style={s.main}>
              <Paragraph title={t("cvDoc.story")} text={cv.story} />
              <Experiences title={t("cvDoc.experiences")} items={experiences} t={t} />
              <Experiences title={t("cvDoc.trainings")} items={trainings} t={t} />
              {cv.testimonials.length > 0 && (
                <Section title={t("cvDoc.testimonials")}>
                  {cv.testimonials.map((r, i) => (
                    <View key={i} style={s.item} wrap={false}>
                      <Text style={s.quote}>{t("cvDoc.quote", { text: r.text })}</Text>
                      <Text style={s.itemMeta}>{[r.name, r.relation].filter(Boolean).join(", ")}</Text>
                    </View>
                  ))}
                </Section>
              )}
            </View>
          </View>
        </View>

        <View style={s.footer} fixed>
          <Text>{t("cvDoc.footer")}</Text>
          <Text render={({ pageNumber, totalPages }) => t("cvDoc.page", { page: pageNumber, total: totalPages })} />
        </View>
      </Page>
    </Document>
  );
}

function Section({ title, children }: { title: string; children: ReactNode }) {
  return (
    <View style={s.section}>
      {/* A heading never ends a page alone. */}
      <Text style={s.heading} minPresenceAhead={30}>
        {title}
      </Text>
      {children}
    </View>
  );
}

function List({ title, items }: { title: string; items: string[] }) {
  if (items.length === 0) return null;
  return (
    <Section title={title}>
      {items.map((item, i) => (
        <Text key={i} style={s.bullet}>
          {item}
        </Text>
      ))}
    </Section>
  );
}

function Paragraph({ title, text }: { title: string; text: string }) {
  if (!text) return null;
  return (
    <Section title={title}>
      <Text>{text}</Text>
    </Section>
  );
}

function Experiences({ title, items, t }: { title: string; items: PublicCv["experiences"]; t: Translate }) {
  if (items.length === 0) return null;
  return (
    <Section title={title}>
      {items.map((e, i) => {
        const meta = [[e.organisation, e.place].filter(Boolean).join(", "), yearRange(t, e.start, e.end)].filter(Boolean).join("  ·  ");
        return (
          <View key={i} style={s.item} wrap={false}>
            <Text style={s.itemTitle}>{e.title}</Text>
            {meta && <Text style={s.itemMeta}>{meta}</Text>}
            {e.description && <Text>{e.description}</Text>}
          </View>
        );
      })}
    </Section>
  );
}
