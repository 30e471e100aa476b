/** Where the console signs in: served next to it as /config.json (by CDK on AWS, by the local cloud here). */
export type ConsoleConfig = { hostedUiUrl: string; clientId: string };

export async function loadConfig(): Promise<ConsoleConfig> {
  const response = await fetch('/config.json', { cache: 'no-store' });
  if (!response.ok) throw new Error(`config.json: ${response.status}`);
  const config = (await response.json()) as Partial<ConsoleConfig>;
  if (typeof config.hostedUiUrl !== 'string' || typeof config.clientId !== 'string')
    throw new Error('config.json lacks hostedUiUrl or clientId');
  return { hostedUiUrl: config.hostedUiUrl, clientId: config.clientId };
}
