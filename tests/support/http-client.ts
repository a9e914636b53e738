/**
 * A tiny browser stand-in for HTTP tests: keeps cookies, reads the CSRF token the server set,
 * and never follows redirects by itself (tests look at them).
 */
export class HttpClient {
  readonly cookies = new Map<string, string>();
  constructor(
    readonly baseUrl: string,
    readonly headers: Record<string, string> = {},
  ) {}

  private cookieHeader() {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
  }

  private remember(response: Response) {
    for (const line of response.headers.getSetCookie()) {
      const [pair, ...attributes] = line.split(";");
      const index = pair!.indexOf("=");
      const name = pair!.slice(0, index).trim();
      const value = pair!.slice(index + 1).trim();
      const expired = attributes.some((a) => /max-age=0\b/i.test(a.trim()) || /expires=thu, 01 jan 1970/i.test(a.trim()));
      if (expired || value === "") this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  async get(path: string, headers: Record<string, string> = {}): Promise<Response> {
    const response = await fetch(new URL(path, this.baseUrl), {
      redirect: "manual",
      headers: { ...this.headers, Cookie: this.cookieHeader(), ...headers },
    });
    this.remember(response);
    return response;
  }

  /** The CSRF token, fetched from any page when the client has none yet. */
  async csrf(): Promise<string> {
    if (!this.cookies.has("lo_csrf")) await this.get("/connexion");
    return this.cookies.get("lo_csrf")!;
  }

  async post(path: string, fields: Record<string, string>, options: { csrf?: boolean } = {}): Promise<Response> {
    const body = new URLSearchParams(fields);
    if (options.csrf !== false && !("csrf" in fields)) body.set("csrf", await this.csrf());
    const response = await fetch(new URL(path, this.baseUrl), {
      method: "POST",
      redirect: "manual",
      headers: { ...this.headers, Cookie: this.cookieHeader(), "Content-Type": "application/x-www-form-urlencoded" },
      body,
    });
    this.remember(response);
    return response;
  }

  /** Posts a multipart form (files included) as a browser does; the CSRF token is added. */
  async postMultipart(path: string, fields: Record<string, string | Blob | { blob: Blob; filename: string }>): Promise<Response> {
    const body = new FormData();
    for (const [name, value] of Object.entries(fields)) {
      if (typeof value === "string" || value instanceof Blob) body.append(name, value);
      else body.append(name, value.blob, value.filename);
    }
    if (!body.has("csrf")) body.set("csrf", await this.csrf());
    const response = await fetch(new URL(path, this.baseUrl), {
      method: "POST",
      redirect: "manual",
      headers: { ...this.headers, Cookie: this.cookieHeader() },
      body,
    });
    this.remember(response);
    return response;
  }

  async signIn(email: string, password: string): Promise<Response> {
    const response = await this.post("/connexion", { email, password });
    if (response.status !== 302) throw new Error(`Sign-in failed for ${email}: ${response.status}`);
    return response;
  }
}
