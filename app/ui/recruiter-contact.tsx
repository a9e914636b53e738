import { useT } from "./i18n";

export type RecruiterContactDetails = { name: string; position?: string; email: string; phone: string; phoneDisplay: string };

/** The recruiter's contact as a candidate sees it once they engaged (signed-in page or one-click page). */
export function RecruiterContact({ contact }: { contact: RecruiterContactDetails }) {
  const t = useT();
  if (!contact.name && !contact.email && !contact.phone) return <p>{t("offers.offer.contactNone")}</p>;
  return (
    <dl className="facts">
      {contact.name && (
        <>
          <dt>{t("offers.offer.contactName")}</dt>
          <dd>{contact.position ? `${contact.name} (${contact.position})` : contact.name}</dd>
        </>
      )}
      {contact.email && (
        <>
          <dt>{t("offers.offer.contactEmail")}</dt>
          <dd>
            <a href={`mailto:${contact.email}`}>{contact.email}</a>
          </dd>
        </>
      )}
      {contact.phone && (
        <>
          <dt>{t("offers.offer.contactPhone")}</dt>
          <dd>
            <a href={`tel:${contact.phone}`}>{contact.phoneDisplay}</a>
          </dd>
        </>
      )}
    </dl>
  );
}
