/** What an endpoint's actor needs from the server that owns it. */
export interface EndpointActorHost {
  /** The endpoint's address, for messages. */
  readonly address: string;
  /** Called once, when the endpoint has terminated; `failure` is undefined on success. */
  terminated(failure: unknown): void;
}
