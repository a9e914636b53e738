import { Form, isRouteErrorResponse, Link, type ShouldRevalidateFunction, Links, Meta, Outlet, Scripts, ScrollRestoration, useLocation, useRouteError } from "react-router";
import type { Route } from "./+types/root";
import { getLocale, getUser } from "./http/session.server";
import { CsrfForm } from "./ui/forms";
import { isLocale, translator } from "./i18n";
import { useRootData, useT } from "./ui/i18n";
import stylesheet from "./ui/styles.css?url";
import type { RootData } from "./ui/i18n";

/**
 * The root data (who is signed in, the CSRF token) is read again on every navigation: a page
 * served from the public page cache carries no per-visitor token, and the header stays true.
 * With single fetch this adds no request, only one session lookup.
 */
export const shouldRevalidate: ShouldRevalidateFunction = () => true;

export const links: Route.LinksFunction = () => [{ rel: "stylesheet", href: stylesheet }];

export async function loader({ request, context }: Route.LoaderArgs): Promise<RootData> {
  const user = await getUser(request, context);
  return {
    locale: await getLocale(request, user),
    csrfToken: context.csrfToken,
    user: user ? { id: user.id, firstName: user.firstName, role: user.role } : null,
  };
}

function Header() {
  const t = useT();
  const { user, locale } = useRootData();
  const location = useLocation();
  const here = location.pathname + location.search;
  return (
    <header className="site-header">
      <div className="wrap header-row">
        <Link to="/" className="brand">
          {t("app.name")}
        </Link>
        <nav aria-label={t("nav.main")}>
          <ul className="nav-list">
            {user?.role === "staff" && (
              <>
                <li>
                  <Link to="/admin/membres">{t("nav.members")}</Link>
                </li>
                <li>
                  <Link to="/admin/boite-d-envoi">{t("nav.outbox")}</Link>
                </li>
                <li>
                  <Link to="/admin/offres">{t("nav.offers")}</Link>
                </li>
              </>
            )}
            {user && user.role !== "staff" && (
              <li>
                <Link to="/espace">{t("nav.mySpace")}</Link>
              </li>
            )}
            {user && user.role === "candidate" && (
              <li>
                <Link to={`/espace/offres/${user.id}`}>{t("nav.myOffers")}</Link>
              </li>
            )}
            {user && (
              <li>
                <Link to="/compte">{t("nav.account")}</Link>
              </li>
            )}
            {user ? (
              <li>
                <CsrfForm action="/deconnexion" reloadDocument>
                  <button type="submit" className="link-button">
                    {t("nav.signOut")}
                  </button>
                </CsrfForm>
              </li>
            ) : (
              <li>
                <Link to="/connexion">{t("nav.signIn")}</Link>
              </li>
            )}
            <li>
              <Form method="get" action="/langue" reloadDocument>
                <input type="hidden" name="locale" value={locale === "fr" ? "en" : "fr"} />
                <input type="hidden" name="retour" value={here} />
                <button type="submit" className="link-button" lang={locale === "fr" ? "en" : "fr"} aria-label={t("lang.switchLabel")}>
                  {t("lang.switch")}
                </button>
              </Form>
            </li>
          </ul>
        </nav>
      </div>
    </header>
  );
}

export function Layout({ children }: { children: React.ReactNode }) {
  const { locale } = useRootData();
  const t = useT();
  return (
    <html lang={locale}>
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        {/* No icon file to fetch: one request less on a slow connection. */}
        <link rel="icon" href="data:," />
        <Meta />
        <Links />
      </head>
      <body>
        <a className="skip-link" href="#contenu">
          {t("nav.skip")}
        </a>
        <Header />
        <main id="contenu" className="wrap" tabIndex={-1}>
          {children}
        </main>
        <footer className="site-footer">
          <div className="wrap">
            <p>{t("app.tagline")}</p>
            <ul className="footer-links">
              <li>
                <Link to="/candidats">{t("gallery.title")}</Link>
              </li>
              <li>
                <Link to="/employeurs">{t("employers.title")}</Link>
              </li>
            </ul>
          </div>
        </footer>
        <ScrollRestoration />
        <Scripts />
      </body>
    </html>
  );
}

export default function App() {
  return <Outlet />;
}

export function ErrorBoundary() {
  const error = useRouteError();
  const { locale } = useRootData();
  const notFound = isRouteErrorResponse(error) && error.status === 404;
  // The database is away (server/http.ts): the root loader may have failed too, so the answer
  // carries the visitor's language.
  const unavailable = isRouteErrorResponse(error) && error.status === 503;
  const t = translator(unavailable && isLocale(error.data?.locale) ? error.data.locale : locale);
  // On the server, entry.server.tsx's handleError has logged it already (through the logger).
  if (!isRouteErrorResponse(error) && typeof document !== "undefined") console.error(error);
  const [title, text] = notFound ? (["notFound.title", "notFound.text"] as const) : unavailable ? (["unavailable.title", "unavailable.text"] as const) : (["error.title", "error.text"] as const);
  return (
    <>
      <title>{`${t(title)} — LinkedOut`}</title>
      <h1>{t(title)}</h1>
      <p>{t(text)}</p>
      <p>
        <Link to="/">{t("notFound.home")}</Link>
      </p>
    </>
  );
}
