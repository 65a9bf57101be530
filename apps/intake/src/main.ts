import { intakeConfig, loadConfig } from '@weave/config';
import { runService } from '@weave/runtime';
import { IntakeModule } from './intake.module';

void runService('intake', () => {
  const config = loadConfig(intakeConfig);
  return { module: IntakeModule.forRoot(config), shutdownTimeoutMs: config.shutdownTimeoutMs };
});
