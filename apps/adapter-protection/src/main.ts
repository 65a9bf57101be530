import { adapterProtectionConfig, loadConfig } from '@weave/config';
import { runService } from '@weave/runtime';
import { AdapterProtectionModule } from './adapter-protection.module';

void runService('adapter-protection', () => {
  const config = loadConfig(adapterProtectionConfig);
  return { module: AdapterProtectionModule.forRoot(config), shutdownTimeoutMs: config.shutdownTimeoutMs };
});
