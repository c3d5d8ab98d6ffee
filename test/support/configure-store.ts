/** Each test process is a process entry too: it tells the store layer where its workers are. */
import { STORE_FILES } from '../../src/main/paths.js';
import { configureStoreFiles } from '../../src/main/store/store-files.js';

configureStoreFiles(STORE_FILES);
