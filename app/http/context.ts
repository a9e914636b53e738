import type { Services } from "~/services.server";

/** What the HTTP server hands every loader and action. */
export type RequestContext = {
  services: Services & { sessionSecret: string };
  csrfToken: string;
  clientIp: string;
};

declare module "react-router" {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface AppLoadContext extends RequestContext {}
}
