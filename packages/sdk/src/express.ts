// @keyhold/sdk/express: middleware that has Keyhold verify the request's key (`Authorization: Bearer` or `X-API-Key`)
// before the route runs, every request; the verdict is `req.keyhold`, the answer gets the X-RateLimit-* headers, and a
// refusal is answered with the status and Keyhold's error body.
import { makeGuard, type GuardOptions } from "./gateway.js";
import type { VerifyValid } from "./types.js";

/** The parts of Express's request and response the middleware uses (no dependency on express's types). */
export type ExpressRequest = {
  headers: Record<string, string | string[] | undefined>;
  ip?: string;
  keyhold?: VerifyValid;
};
/** The parts of Express's response the middleware uses. */
export type ExpressResponse = {
  status(code: number): ExpressResponse;
  setHeader(name: string, value: string): unknown;
  json(body: unknown): unknown;
};
/** Express's `next`: the route runs after it; an error goes to Express's error handlers. */
export type NextFunction = (err?: unknown) => void;

/** Options of the Express middleware: the route's requirements, the verifier's options, and where the client IP is. */
export type KeyholdExpressOptions = GuardOptions & {
  /** The client's address for the key's IP allowlist (default req.ip, which follows Express's "trust proxy" setting). */
  ip?: (req: ExpressRequest) => string | null | undefined;
};

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Request {
      /** Keyhold's verdict for the request's key, set by @keyhold/sdk/express. */
      keyhold?: VerifyValid;
    }
  }
}

/**
 * Middleware requiring a key good for `options.scope`, `.permissions` and `.cost` (spent on a key that has credits).
 * Throws at once when no endpoint or service token is configured.
 */
export function keyhold(options: KeyholdExpressOptions = {}) {
  const guard = makeGuard(options);
  const ipOf = options.ip ?? ((req: ExpressRequest) => req.ip);
  return (req: ExpressRequest, res: ExpressResponse, next: NextFunction): void => {
    const header = (name: string) => {
      const value = req.headers[name];
      return Array.isArray(value) ? value[0] : value;
    };
    guard(header, ipOf(req)).then((result) => {
      if (result.ok) {
        req.keyhold = result.verification;
        for (const [name, value] of result.headers) res.setHeader(name, value);
        return next();
      }
      const { status, body, headers } = result.answer;
      headers.forEach((value, name) => res.setHeader(name, value));
      res.status(status).json(body);
    }, next);
  };
}

export type { Verification, Verifier } from "./verifier.js";
export { createVerifier } from "./verifier.js";
