import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { BrowserContext, Page } from 'playwright-core';
import { expect } from 'vitest';
import { CHROMIUM, launchConsoleBrowser, signInToConsole } from '#local/console-browser';
import { localStack } from './local-cloud.ts';

/**
 * The console's browser tests: a browser on the local cloud of the integration project (see
 * local/console-browser.ts), the CSP violations its pages report, and axe-core on each screen.
 */
const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

export { type BrowserPerson, CONSOLE_ORIGIN } from '#local/console-browser';

export type ConsoleBrowser = {
  /** A fresh browser profile (no session), desktop-sized unless a viewport is given. */
  newContext(viewport?: { width: number; height: number }): Promise<BrowserContext>;
  /** Content-Security-Policy violations any page reported: the console must cause none. */
  cspViolations: string[];
  close(): Promise<void>;
};

export async function startConsoleBrowser(): Promise<ConsoleBrowser> {
  // Never skipped: without the browser the test fails (.ci/run installs Debian's chromium).
  expect(existsSync(CHROMIUM), `${CHROMIUM} is missing: apt-get install chromium`).toBe(true);
  const { browser, close } = await launchConsoleBrowser(localStack().webUrl);
  const cspViolations: string[] = [];
  return {
    cspViolations,
    async newContext(viewport = { width: 1280, height: 900 }) {
      const context = await browser.newContext({ viewport });
      context.on('console', (message) => {
        if (/Content Security Policy/i.test(message.text())) cspViolations.push(message.text());
      });
      return context;
    },
    close,
  };
}

/** Signs in through the hosted UI (password, then the authenticator's code) and lands on `path`. */
export const signIn = signInToConsole;

/** axe-core finds no serious or critical violation on the screen the page shows. */
export async function expectAccessible(page: Page, screen: string): Promise<void> {
  // Evaluated through the DevTools protocol: the page's CSP (no inline scripts) stays in force for the app.
  await page.evaluate(axeSource);
  const violations = await page.evaluate(async () => {
    const axe = (
      globalThis as unknown as { axe: { run(): Promise<{ violations: { id: string; impact: string }[] }> } }
    ).axe;
    return (await axe.run()).violations.map(({ id, impact }) => ({ id, impact }));
  });
  expect(
    violations.filter((violation) => violation.impact === 'serious' || violation.impact === 'critical'),
    screen,
  ).toEqual([]);
}
