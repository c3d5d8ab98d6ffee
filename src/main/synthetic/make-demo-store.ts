/** `npm run demo-store`: regenerates resources/demo.db with the project's own generator. */
import path from 'node:path';
import { DEMO_STORE, STORE_FILES } from '../paths.js';
import { makeDemoStore } from './demo-store.js';
import { configureStoreFiles } from '../store/store-files.js';

configureStoreFiles(STORE_FILES);

const target = path.resolve(process.argv[2] ?? DEMO_STORE);
await makeDemoStore(target);
process.stdout.write(`wrote ${target}\n`);
