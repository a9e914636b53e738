import type { Services } from "~/services.server";

/** What the HTTP server hands every loader and action. */
export type RequestContext = {
  services: Services & { sessionSecret: string };
  csrfToken: string;
  /** This answer's Content-Security-Policy nonce, carried by every inline script React Router renders. */
  cspNonce: string;
  clientIp: string;
  /** This request's id (X-Request-Id): every log line about the request carries it. */
  requestId: string;
};

declare module "react-router" {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface AppLoadContext extends RequestContext {}
}
