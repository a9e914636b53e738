import { simpleParser } from "mailparser";
import { SMTPServer } from "smtp-server";

export type CapturedEmail = { to: string; subject: string; text: string; html: string; messageId: string };

/**
 * A real SMTP listener on a free port (or `port`): the app sends to it exactly as it would to a
 * provider. `acceptDelayMs` makes it slow to answer the end of DATA, so a sender can be killed mid-send.
 */
export async function startSmtpCapture(options: { port?: number; acceptDelayMs?: number; onDataEnd?: (mail: CapturedEmail) => void } = {}) {
  const received: CapturedEmail[] = [];
  const waiters = new Set<() => void>();
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS", "AUTH"],
    logger: false,
    onData(stream, _session, callback) {
      simpleParser(stream)
        .then((mail) => {
          const to = Array.isArray(mail.to) ? mail.to.map((a) => a.text).join(", ") : (mail.to?.text ?? "");
          const captured = { to, subject: mail.subject ?? "", text: mail.text ?? "", html: typeof mail.html === "string" ? mail.html : "", messageId: mail.messageId ?? "" };
          // The whole message is in, its "250 OK" not yet sent: the moment a sender's death is hardest on it.
          options.onDataEnd?.(captured);
          const accept = () => {
            received.push(captured);
            for (const wake of waiters) wake();
            callback();
          };
          if (options.acceptDelayMs) setTimeout(accept, options.acceptDelayMs);
          else accept();
        })
        .catch(callback);
    },
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, "127.0.0.1", resolve));
  const port = (server.server.address() as { port: number }).port;

  /** Waits for a message to `to` (and matching `subject` when given). */
  async function waitFor(to: string, options: { subject?: RegExp; timeoutMs?: number } = {}): Promise<CapturedEmail> {
    const match = () => received.find((m) => m.to.includes(to) && (!options.subject || options.subject.test(m.subject)));
    const deadline = Date.now() + (options.timeoutMs ?? 15_000);
    while (Date.now() < deadline) {
      const found = match();
      if (found) return found;
      await new Promise<void>((resolve) => {
        const wake = () => {
          waiters.delete(wake);
          resolve();
        };
        waiters.add(wake);
        setTimeout(wake, 250);
      });
    }
    throw new Error(`No e-mail to ${to} within the delay. Received: ${received.map((m) => `${m.to}: ${m.subject}`).join("; ") || "none"}`);
  }

  return {
    url: `smtp://127.0.0.1:${port}`,
    received,
    waitFor,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** The first link of an e-mail that goes to `pathPrefix`. */
export function linkIn(email: Pick<CapturedEmail, "text">, pathPrefix: string): string {
  const link = email.text.match(new RegExp(`https?://[^\\s]+${pathPrefix.replace(/\//g, "\\/")}[^\\s]*`))?.[0];
  if (!link) throw new Error(`No link to ${pathPrefix} in: ${email.text}`);
  return link;
}
