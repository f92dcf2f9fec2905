// The Hello endpoint of README.md and packages/core/README.md, which other examples serve.
// #region hello
import { ask, defineProtocol, RpcEndpoint, serves } from '@nact-rpc/core';

const HelloProtocol = defineProtocol('HelloGateway', { hello: ask<[], string>() });

@serves(HelloProtocol)
class HelloEndpoint extends RpcEndpoint {
  hello(): string {
    return 'hello';
  }
}
// #endregion hello

export { HelloEndpoint, HelloProtocol };
