import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';

const require = createRequire(import.meta.url);
const AXE = require.resolve('axe-core/axe.min.js');

export interface AxeNode {
  target: string[];
  html: string;
  failureSummary?: string;
}
export interface AxeViolation {
  id: string;
  impact: 'minor' | 'moderate' | 'serious' | 'critical' | null;
  help: string;
  helpUrl: string;
  nodes: AxeNode[];
}

/** Runs axe-core on the page shown and returns its violations (every rule axe enables by default). */
export async function axeViolations(page: Page): Promise<AxeViolation[]> {
  if (!(await page.evaluate("typeof window.axe !== 'undefined'"))) await page.addScriptTag({ path: AXE });
  const result = (await page.evaluate(
    "window.axe.run(document, { resultTypes: ['violations'], reporter: 'v1' })",
  )) as { violations: AxeViolation[] };
  return result.violations;
}

export const BLOCKING = new Set(['serious', 'critical']);

/** One readable block per violation: rule, impact, help and where (CSS targets), for the failure message. */
export function describeViolations(where: string, violations: AxeViolation[]): string {
  return violations
    .map((v) => {
      const nodes = v.nodes
        .slice(0, 8)
        .map((n) => `      at ${n.target.join(' ')}\n         ${n.html.replace(/\s+/g, ' ').slice(0, 160)}`)
        .join('\n');
      const more = v.nodes.length > 8 ? `\n      … and ${v.nodes.length - 8} more` : '';
      return `  ${where}: [${v.impact}] ${v.id} — ${v.help} (${v.helpUrl})\n${nodes}${more}`;
    })
    .join('\n');
}
