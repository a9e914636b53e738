import { useEffect, useState } from "react";
import { Link } from "react-router";
import type { PublicCv } from "~/domain/cv/public-cv";
import type { MessageKey } from "~/i18n";
import { useT } from "./i18n";

const linkNetworks = ["linkedin", "facebook", "whatsapp", "x", "email"] as const;

/**
 * One tap to share. Each button is a plain link through /partager (which records the intent),
 * opening in a new tab a thank-you page that leads on to the network and offers another CV, one
 * of the least shared. With JavaScript the link goes straight to the network (`?direct=1`), the
 * thank-you shows here, and copy-link and the phone's share sheet are added.
 */
export function ShareButtons({
  cv,
  next,
  compact = false,
  via = null,
}: {
  cv: Pick<PublicCv, "slug" | "firstName">;
  next?: Pick<PublicCv, "slug" | "firstName"> | null;
  compact?: boolean;
  /** The personal share link the visitor came through: re-shares are attributed to it. */
  via?: string | null;
}) {
  const viaQuery = via ? `?via=${via}` : "";
  // With JavaScript the thank-you shows here, so the link goes straight to the network; without,
  // the plain link leads through a small thank-you page (the same share, counted the same).
  const linkQuery = via ? `?via=${via}&direct=1` : "?direct=1";
  const t = useT();
  const [enhanced, setEnhanced] = useState({ js: false, native: false });
  const [thanked, setThanked] = useState(false);
  const [copied, setCopied] = useState(false);
  useEffect(() => {
    // After hydration only: the server render stays the plain, no-JavaScript version.
    // eslint-disable-next-line react-hooks/set-state-in-effect
    setEnhanced({ js: true, native: typeof navigator !== "undefined" && typeof navigator.share === "function" });
  }, []);
  const url = () => `${window.location.origin}/cv/${cv.slug}${viaQuery}`;
  const tell = (network: string) => navigator.sendBeacon?.(`/partager/${cv.slug}/${network}${viaQuery}`);
  return (
    <div className={compact ? "share share-compact" : "share"}>
      <ul className="share-list">
        {linkNetworks.map((network) => (
          <li key={network}>
            <a
              className="share-button"
              href={`/partager/${cv.slug}/${network}${enhanced.js ? linkQuery : viaQuery}`}
              target="_blank"
              rel="noopener nofollow"
              aria-label={`${t("share.on", { network: t(`share.network.${network}` as MessageKey) })} ${t("share.newTab")}`}
              onClick={() => setThanked(true)}
            >
              {t(`share.network.${network}` as MessageKey)}
            </a>
          </li>
        ))}
        {enhanced.js && (
          <li>
            <button
              type="button"
              className="share-button"
              onClick={async () => {
                await navigator.clipboard?.writeText(url());
                tell("copy");
                setCopied(true);
                setThanked(true);
              }}
            >
              {t("share.network.copy")}
            </button>
          </li>
        )}
        {enhanced.native && (
          <li>
            <button
              type="button"
              className="share-button"
              onClick={async () => {
                try {
                  await navigator.share({ url: url(), text: t("share.text", { firstName: cv.firstName }) });
                  tell("native");
                  setThanked(true);
                } catch {
                  // the person closed the share sheet: nothing was shared, nothing is counted
                }
              }}
            >
              {t("share.network.native")}
            </button>
          </li>
        )}
      </ul>
      <p role="status" className="share-status">
        {copied ? `${t("share.copied")} ` : ""}
        {thanked && t("share.thanks", { firstName: cv.firstName })}{" "}
        {thanked && next && <Link to={`/cv/${next.slug}`}>{t("share.another", { firstName: next.firstName })}</Link>}
      </p>
    </div>
  );
}
