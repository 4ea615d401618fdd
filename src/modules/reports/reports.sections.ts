import type { ReportSection } from '../module.js';

/**
 * Sections other modules add to the portfolio and program reports. The registry is loaded when a
 * report is built (not when this module loads): the registry itself imports this module.
 */
export async function contributedSections(): Promise<ReportSection[]> {
  const { modules } = await import('../registry.js');
  return modules.flatMap((m) => m.reportSections ?? []);
}
