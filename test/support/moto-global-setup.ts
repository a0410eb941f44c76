// vitest globalSetup: one moto_server for the whole run; tests find it through AWS_ENDPOINT_URL
// (provided to workers) and isolate themselves with their own table/queue names or a reset.
import type { TestProject } from 'vitest/node';
import { motoEnv, startMoto, type MotoServer } from './moto.ts';

let moto: MotoServer | undefined;

export async function setup(project: TestProject): Promise<void> {
  moto = await startMoto();
  const env = motoEnv(moto.endpoint);
  Object.assign(process.env, env);
  project.provide('motoEndpoint', moto.endpoint);
}

export async function teardown(): Promise<void> {
  await moto?.stop();
}

declare module 'vitest' {
  export interface ProvidedContext {
    motoEndpoint: string;
  }
}
