import type { ConfigShape, ServiceConfigDefinition } from '../env-var';
import { adapterPoliceConfig } from './adapter-police.config';
import { adapterProtectionConfig } from './adapter-protection.config';
import { gatewayConfig } from './gateway.config';
import { intakeConfig } from './intake.config';

export { adapterPoliceConfig, adapterProtectionConfig, gatewayConfig, intakeConfig };

/** Every deployable service's configuration, for the README table and manifest checks. */
export const serviceConfigs: readonly ServiceConfigDefinition<ConfigShape>[] = [
  gatewayConfig,
  intakeConfig,
  adapterPoliceConfig,
  adapterProtectionConfig,
];
