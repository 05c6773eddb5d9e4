import { mkdir, writeFile } from 'node:fs/promises';

/** Where `npm run bench` leaves its figures as JSON, one file per benchmark. */
export const RESULTS_DIR = 'test-results/bench';

export async function saveResults(name: string, figures: Record<string, unknown>): Promise<void> {
  await mkdir(RESULTS_DIR, { recursive: true });
  await writeFile(
    `${RESULTS_DIR}/${name}.json`,
    `${JSON.stringify({ when: new Date().toISOString(), ...figures }, null, 2)}\n`,
  );
}
