import type { TechFamily } from './types.js';
import { ENERGY_FAMILIES } from './catalogue-energy.js';
import { AGRI_WATER_FAMILIES } from './catalogue-agri-water.js';
import { CLIMATE_CIRCULAR_FAMILIES } from './catalogue-climate-circular.js';
import { HEALTH_DIGITAL_FAMILIES } from './catalogue-health-digital.js';
import { OCEAN_INDUSTRY_FAMILIES } from './catalogue-ocean-industry.js';

export type { TechFamily } from './types.js';

/** All hand-written technology families, in a stable order. */
export const TECH_FAMILIES: readonly TechFamily[] = [
  ...ENERGY_FAMILIES,
  ...AGRI_WATER_FAMILIES,
  ...CLIMATE_CIRCULAR_FAMILIES,
  ...HEALTH_DIGITAL_FAMILIES,
  ...OCEAN_INDUSTRY_FAMILIES,
];
