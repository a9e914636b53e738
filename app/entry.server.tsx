import { PassThrough } from "node:stream";
import type { AppLoadContext, EntryContext } from "react-router";
import { createReadableStreamFromReadable } from "@react-router/node";
import { isRouteErrorResponse, ServerRouter } from "react-router";
import { isbot } from "isbot";
import type { RenderToPipeableStreamOptions } from "react-dom/server";
import { renderToPipeableStream } from "react-dom/server";
import { logger } from "~/logger.server";

export const streamTimeout = 5_000;

/** An error React Router caught on the server (a loader, an action, a render): logged, never for an aborted request. */
export function handleError(error: unknown, { request, context }: { request: Request; context: AppLoadContext }) {
  if (request.signal.aborted) return;
  // A refusal the router answers itself (405 for a post to a page without a form, 404…) is no bug.
  if (isRouteErrorResponse(error) && error.status < 500) return;
  logger.error({ requestId: context.requestId, err: isRouteErrorResponse(error) && "error" in error ? error.error : error }, "Request failed");
}

/**
 * React Router's default Node entry, plus one thing: every inline script carries this request's
 * CSP nonce (`ServerRouter nonce` is the default of <Scripts>, <ScrollRestoration> and
 * the streamed data scripts). The header that names the nonce is set in server/http.ts.
 */
export default function handleRequest(
  request: Request,
  responseStatusCode: number,
  responseHeaders: Headers,
  routerContext: EntryContext,
  loadContext: AppLoadContext,
) {
  if (request.method.toUpperCase() === "HEAD") {
    return new Response(null, { status: responseStatusCode, headers: responseHeaders });
  }
  return new Promise<Response>((resolve, reject) => {
    let shellRendered = false;
    const userAgent = request.headers.get("user-agent");
    // Robots (and the public page cache's renders) get the whole document at once.
    const readyOption: keyof RenderToPipeableStreamOptions = (userAgent && isbot(userAgent)) || routerContext.isSpaMode ? "onAllReady" : "onShellReady";
    let timeoutId: ReturnType<typeof setTimeout> | undefined = setTimeout(() => abort(), streamTimeout + 1000);
    const { pipe, abort } = renderToPipeableStream(<ServerRouter context={routerContext} url={request.url} nonce={loadContext.cspNonce} />, {
      nonce: loadContext.cspNonce,
      [readyOption]() {
        shellRendered = true;
        const body = new PassThrough({
          final(callback) {
            clearTimeout(timeoutId);
            timeoutId = undefined;
            callback();
          },
        });
        const stream = createReadableStreamFromReadable(body);
        responseHeaders.set("Content-Type", "text/html");
        pipe(body);
        resolve(new Response(stream, { headers: responseHeaders, status: responseStatusCode }));
      },
      onShellError(error: unknown) {
        reject(error);
      },
      onError(error: unknown) {
        responseStatusCode = 500;
        if (shellRendered) logger.error({ requestId: loadContext.requestId, err: error }, "Rendering failed after the page started");
      },
    });
  });
}
