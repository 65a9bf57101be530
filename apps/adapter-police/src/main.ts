import { adapterPoliceConfig, loadConfig } from '@weave/config';
import { runService } from '@weave/runtime';
import { AdapterPoliceModule } from './adapter-police.module';

void runService('adapter-police', () => {
  const config = loadConfig(adapterPoliceConfig);
  return { module: AdapterPoliceModule.forRoot(config), shutdownTimeoutMs: config.shutdownTimeoutMs };
});
