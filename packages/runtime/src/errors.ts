/**
 * A response arrived but its body could not be read as the declared JSON.
 * Kept distinct from network errors: the server did answer, so for a create call the
 * task may exist even though we cannot read its id.
 */
export class ResponseParseError extends Error {
  override readonly name: string = 'ResponseParseError'
  constructor(
    readonly response: Response,
    readonly bodyText: string,
    options?: { cause?: unknown },
    message = `Response ${response.status} from the server is not valid JSON`,
  ) {
    super(message, options)
  }
}

/** A 2xx answer larger than `maxResponseBytes`: the read was stopped and the rest of the body discarded. */
export class ResponseTooLargeError extends ResponseParseError {
  override readonly name: string = 'ResponseTooLargeError'
  constructor(
    response: Response,
    readonly maxBytes: number,
  ) {
    super(response, '', undefined, `Response ${response.status} from the server is larger than ${maxBytes} bytes; it was not read`)
  }
}

/**
 * The server answered with a redirect the client does not follow: to another origin (the API key and
 * custom headers must never travel there), or one that would turn the request into another request.
 * The server did answer, so for a create call a task may exist.
 */
export class RedirectRefusedError extends Error {
  override readonly name = 'RedirectRefusedError'
  constructor(
    readonly status: number,
    /** The target's origin (`https://other.example`), or undefined when the runtime hides it (a browser's opaque redirect). */
    readonly location: string | undefined,
    message: string,
  ) {
    super(message)
  }
}

/** Building the request failed (the auth function, the body serializer, a path parameter): nothing was sent. */
export class RequestNotSentError extends Error {
  override readonly name = 'RequestNotSentError'
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options)
  }
}
