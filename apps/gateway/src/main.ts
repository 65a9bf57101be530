import { gatewayConfig, loadConfig } from '@weave/config';
import { runService } from '@weave/runtime';
import { GatewayModule } from './gateway.module';

void runService('gateway', () => {
  const config = loadConfig(gatewayConfig);
  return { module: GatewayModule.forRoot(config), shutdownTimeoutMs: config.shutdownTimeoutMs };
});
