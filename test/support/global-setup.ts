/** One throwaway Postgres cluster for the whole test run; tests reach it through inject('pgPort'). */
import type { TestProject } from 'vitest/node';
import { removeCluster, startCluster } from './throwaway-postgres.js';

declare module 'vitest' {
  export interface ProvidedContext {
    pgPort: number;
  }
}

export default async function setup(project: TestProject): Promise<() => void> {
  const cluster = await startCluster();
  project.provide('pgPort', cluster.port);
  return () => removeCluster(cluster);
}
