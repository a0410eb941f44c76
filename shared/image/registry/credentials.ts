/** Registry credentials: looked up per registry host when a registry asks for them, never logged. */

export interface RegistryCredentials {
  username: string;
  password: string;
}

/** Credentials for a registry host (`host[:port]`), or null to go anonymous. */
export type CredentialsProvider = (registry: string) => Promise<RegistryCredentials | null>;

/** Fixed credentials per registry host. */
export function staticCredentials(byRegistry: Record<string, RegistryCredentials>): CredentialsProvider {
  const table = new Map(Object.entries(byRegistry).map(([host, credentials]) => [host.toLowerCase(), credentials]));
  return async (registry) => table.get(registry.toLowerCase()) ?? null;
}

/** The first provider that has credentials for the registry wins. */
export function chainCredentials(...providers: CredentialsProvider[]): CredentialsProvider {
  return async (registry) => {
    for (const provider of providers) {
      const credentials = await provider(registry);
      if (credentials) return credentials;
    }
    return null;
  };
}
