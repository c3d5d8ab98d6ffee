export const serveCommand = { register() {} };
