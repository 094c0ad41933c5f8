// One error model for the whole API. Services throw these; the error plugin turns them into
// { statusCode, code, message, requestId, issues? }.

export interface ErrorIssue {
  path: string;
  message: string;
}

export class AppError extends Error {
  constructor(
    readonly code: string,
    readonly statusCode: number,
    message: string,
    readonly issues?: ErrorIssue[],
  ) {
    super(message);
    this.name = 'AppError';
  }
}

export class BadRequest extends AppError {
  constructor(message: string, issues?: ErrorIssue[], code = 'bad_request') {
    super(code, 400, message, issues);
  }
}

/** A rule about one field that zod cannot express alone (e.g. it depends on the listing's kind). */
export function invalidField(path: string, message: string): BadRequest {
  return new BadRequest(`Invalid input: ${path} ${message}`, [{ path, message }], 'validation_failed');
}

export class Unauthorized extends AppError {
  constructor(message = 'Authentication required', code = 'unauthorized') {
    super(code, 401, message);
  }
}

export class Forbidden extends AppError {
  constructor(message = 'You are not allowed to do this', code = 'forbidden') {
    super(code, 403, message);
  }
}

export class NotFound extends AppError {
  constructor(what = 'Resource', code = 'not_found') {
    super(code, 404, `${what} not found`);
  }
}

export class Conflict extends AppError {
  constructor(message: string, code = 'conflict') {
    super(code, 409, message);
  }
}

export class TooManyRequests extends AppError {
  constructor(message: string, code = 'too_many_requests') {
    super(code, 429, message);
  }
}
