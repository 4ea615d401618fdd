/**
 * Typed errors. Each carries an HTTP status, a stable code and a message key translated for the
 * user by the one error middleware; nothing else turns errors into responses.
 */
export type FieldErrors = Record<string, { key: string; params?: Record<string, unknown> }[]>;

export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly messageKey: string,
    readonly params: Record<string, unknown> = {},
  ) {
    super(code);
    this.name = new.target.name;
  }
}

/** The thing does not exist, or the user may not know that it exists. */
export class NotFoundError extends AppError {
  constructor() {
    super(404, 'not_found', 'errors:404.message');
  }
}

/** The user may see the thing but not do this to it. */
export class ForbiddenError extends AppError {
  constructor(messageKey = 'errors:403.message') {
    super(403, 'forbidden', messageKey);
  }
}

/** Input broke a business rule; shown on the form it came from. */
export class ValidationError extends AppError {
  constructor(
    readonly fieldErrors: FieldErrors,
    messageKey = 'errors:422.message',
    params: Record<string, unknown> = {},
  ) {
    super(422, 'validation', messageKey, params);
  }

  static field(field: string, key: string, params?: Record<string, unknown>): ValidationError {
    return new ValidationError({ [field]: [{ key, params }] }, key, params);
  }
}

/** Someone else changed the record first (version mismatch) or decided it already. */
export class ConflictError extends AppError {
  constructor(
    messageKey = 'errors:409.message',
    readonly current?: Record<string, unknown>,
    params: Record<string, unknown> = {},
  ) {
    super(409, 'conflict', messageKey, params);
  }
}

/** A state machine refuses the move (e.g. a phase that cannot follow the current one). */
export class InvalidTransitionError extends AppError {
  constructor(messageKey: string, params: Record<string, unknown> = {}) {
    super(422, 'invalid_transition', messageKey, params);
  }
}

export class PayloadTooLargeError extends AppError {
  constructor(params: Record<string, unknown> = {}) {
    super(413, 'payload_too_large', 'errors:413.message', params);
  }
}

export class TooManyRequestsError extends AppError {
  constructor(messageKey: string, params: Record<string, unknown> = {}) {
    super(429, 'too_many_requests', messageKey, params);
  }
}

export class BadRequestError extends AppError {
  constructor(messageKey = 'errors:400.message', params: Record<string, unknown> = {}) {
    super(400, 'bad_request', messageKey, params);
  }
}
