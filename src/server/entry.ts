// dist/server.js: the language server the VS Code extension starts (`node dist/server.js --node-ipc`).
import { runServer } from './main';

runServer(process.argv.slice(2));
