import { inject } from 'vitest';
import { motoEnv } from './moto.ts';

/** Points this test worker's AWS SDK clients at the run's moto_server. */
export function useMoto(): string {
  const endpoint = inject('motoEndpoint');
  Object.assign(process.env, motoEnv(endpoint));
  return endpoint;
}
