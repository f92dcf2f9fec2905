// docs/concepts.md, "Logging": a pino logger, given as it is.
import { NactRpcService } from '@nact-rpc/runtime-nact';
// #region pino
import pino from 'pino';
const service = new NactRpcService({ logger: pino() });
// #endregion pino

export { service as serviceLoggingToPino };
