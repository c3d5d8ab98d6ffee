/** The aligned-logs LCS (quadratic) runs here, off the window's thread. */
import { alignEvents, type Alignable } from './align';

self.onmessage = (e: MessageEvent<{ a: Alignable[]; b: Alignable[] }>) => {
  self.postMessage(alignEvents(e.data.a, e.data.b));
};
