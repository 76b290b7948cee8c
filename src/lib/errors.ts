/**
 * Every failure that a caller can cause is a Problem: a value with an HTTP status, a stable
 * machine-readable code, and the field it concerns. The server turns it into an RFC 9457
 * problem+json body; the CLI prints it and exits non-zero. Anything else that is thrown is a bug.
 */
export class Problem extends Error {
  readonly status: number;
  readonly code: string;
  readonly field: string | undefined;

  constructor(status: number, code: string, detail: string, field?: string) {
    super(detail);
    this.name = 'Problem';
    this.status = status;
    this.code = code;
    this.field = field;
  }
}

export const badRequest = (code: string, detail: string, field?: string) =>
  new Problem(400, code, detail, field);
export const unauthorized = (detail: string) => new Problem(401, 'unauthorized', detail);
export const forbidden = (detail: string) => new Problem(403, 'forbidden', detail);
export const notFound = (code: string, detail: string, field?: string) =>
  new Problem(404, code, detail, field);
export const conflict = (code: string, detail: string, field?: string) =>
  new Problem(409, code, detail, field);
export const unprocessable = (code: string, detail: string, field?: string) =>
  new Problem(422, code, detail, field);

export const isProblem = (error: unknown): error is Problem => error instanceof Problem;
