/**
 * The benchmark's HTTP client for everything but the load itself: signing in (the session cookie)
 * and fetching a page once to check it. The server runs in production behind an assumed TLS proxy
 * (TRUST_PROXY=true): every request says X-Forwarded-Proto: https, so the secure cookie is issued.
 */
export const PROXY_HEADERS = { 'x-forwarded-proto': 'https' };

const csrfOf = (html: string) => /name="_csrf" value="([^"]+)"/.exec(html)?.[1];

function cookieOf(res: Response, jar: Map<string, string>): void {
  for (const c of res.headers.getSetCookie()) {
    const [pair] = c.split(';');
    const eq = pair.indexOf('=');
    jar.set(pair.slice(0, eq), pair.slice(eq + 1));
  }
}

export interface Signed {
  cookie: string;
  get(path: string): Promise<Response>;
  csrf(path: string): Promise<string>;
}

export async function signIn(base: string, email: string, password: string): Promise<Signed> {
  const jar = new Map<string, string>();
  const header = () => [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
  const login = await fetch(base + '/login', { headers: PROXY_HEADERS, redirect: 'manual' });
  cookieOf(login, jar);
  const token = csrfOf(await login.text());
  if (!token) throw new Error(`no sign-in form at ${base}/login (${login.status})`);
  const res = await fetch(base + '/login', {
    method: 'POST',
    redirect: 'manual',
    headers: { ...PROXY_HEADERS, cookie: header(), 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ _csrf: token, email, password }).toString(),
  });
  if (res.status !== 303) throw new Error(`sign-in as ${email} failed: ${res.status}`);
  cookieOf(res, jar);
  const get = (path: string) =>
    fetch(base + path, { headers: { ...PROXY_HEADERS, cookie: header() }, redirect: 'manual' });
  return {
    get cookie() {
      return header();
    },
    get,
    async csrf(path: string) {
      const page = await get(path);
      const t = csrfOf(await page.text());
      if (!t) throw new Error(`no form token on ${path} (${page.status})`);
      return t;
    },
  };
}
