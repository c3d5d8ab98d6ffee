// Packaging (`npm run package`, on a machine that can download Electron's release zip). The fuses
// are flipped in the packaged binary: no running as plain Node, no NODE_OPTIONS, no --inspect, the
// app only from its integrity-checked asar, cookies encrypted, no extra file:// privileges.
/** @type {import('electron-builder').Configuration} */
export default {
  appId: 'dev.run-inspector.app',
  productName: 'Run Inspector',
  directories: { output: 'dist' },
  files: ['out/**', 'resources/**', 'native/**', 'package.json'],
  asar: true,
  asarUnpack: ['**/*.node'], // native addons are loaded from disk, beside the asar
  npmRebuild: false, // native/ holds the Electron-ABI build of better-sqlite3 (npm run electron-native)
  linux: { target: ['AppImage', 'dir'], category: 'Development' },
  mac: { target: ['dmg'] },
  win: { target: ['nsis'] },
  electronFuses: {
    runAsNode: false,
    enableCookieEncryption: true,
    enableNodeOptionsEnvironmentVariable: false,
    enableNodeCliInspectArguments: false,
    enableEmbeddedAsarIntegrityValidation: true,
    onlyLoadAppFromAsar: true,
    loadBrowserProcessSpecificV8Snapshot: false,
    grantFileProtocolExtraPrivileges: false,
  },
};
