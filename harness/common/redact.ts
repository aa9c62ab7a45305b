// Credentials never reach a log, an error message or a report: URLs are shown
// without their user:password@ part wherever they are printed.

/** The URL without credentials, for logs and descriptions. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    u.username = '';
    u.password = '';
    return u.toString().replace(/\/$/, '');
  } catch {
    return '(invalid url)';
  }
}

/** Whether a URL carries credentials in its user:password@ part. */
export function urlHasCredentials(url: string): boolean {
  try {
    const u = new URL(url);
    return u.username !== '' || u.password !== '';
  } catch {
    return false;
  }
}

// scheme://userinfo@ — the userinfo is whatever comes before an @ that precedes the first / ? or #.
const USERINFO = /\b([a-z][a-z0-9+.-]*:\/\/)[^\s/?#@]+@/gi;

/** Text (an error message, a log line) with the credentials of every URL in it replaced. */
export function redactCredentials(text: string): string {
  return text.replace(USERINFO, '$1[redacted]@');
}
