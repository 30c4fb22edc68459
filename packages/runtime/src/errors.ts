/**
 * A response arrived but its body could not be read as the declared JSON.
 * Kept distinct from network errors: the server did answer, so for a create call the
 * task may exist even though we cannot read its id.
 */
export class ResponseParseError extends Error {
  override readonly name = 'ResponseParseError'
  constructor(
    readonly response: Response,
    readonly bodyText: string,
    options?: { cause?: unknown },
  ) {
    super(`Response ${response.status} from the server is not valid JSON`, options)
  }
}
