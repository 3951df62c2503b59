// @keyhold/sdk/express: middleware that verifies `Authorization: Bearer <key>` with Keyhold before the route runs; the
// verdict is `req.keyhold`, and a refusal is answered with the status and Keyhold's error body.
import { guard, requirementsOf, verifierFor, type GuardOptions } from "./gateway.js";
import type { VerifyResponse } from "./types.js";

// The parts of Express's request and response the middleware uses (no dependency on express's types).
export type ExpressRequest = {
  headers: Record<string, string | string[] | undefined>;
  ip?: string;
  keyhold?: VerifyResponse;
};
export type ExpressResponse = {
  status(code: number): ExpressResponse;
  setHeader(name: string, value: string): unknown;
  json(body: unknown): unknown;
};
export type NextFunction = (err?: unknown) => void;

export type KeyholdExpressOptions = GuardOptions & {
  // The client's address for the key's IP allowlist (default req.ip, which follows Express's "trust proxy" setting).
  ip?: (req: ExpressRequest) => string | null | undefined;
};

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Request {
      // Keyhold's verdict for the request's key, set by @keyhold/sdk/express.
      keyhold?: VerifyResponse;
    }
  }
}

// Middleware requiring a key good for options.scope, .permissions and .cost (spent on a key that has credits).
export function keyhold(options: KeyholdExpressOptions = {}) {
  const verifier = verifierFor(options);
  const requirements = requirementsOf(options);
  const ipOf = options.ip ?? ((req: ExpressRequest) => req.ip);
  return (req: ExpressRequest, res: ExpressResponse, next: NextFunction): void => {
    const authorization = req.headers.authorization;
    guard(verifier, Array.isArray(authorization) ? authorization[0] : authorization, requirements, ipOf(req)).then(
      (result) => {
        if (result.ok) {
          req.keyhold = result.verification;
          return next();
        }
        const { status, body, headers } = result.answer;
        headers.forEach((value, name) => res.setHeader(name, value));
        res.status(status).json(body);
      },
      next,
    );
  };
}

export type { Verification, Verifier } from "./verifier.js";
export { createVerifier } from "./verifier.js";
