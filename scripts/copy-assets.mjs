// tsc copies no non-TS files; the Lua scripts must sit beside the compiled queue code.
import { cpSync, chmodSync } from 'node:fs';
cpSync('storage/lua', 'dist/storage/lua', { recursive: true });
chmodSync('dist/bin/candela.js', 0o755);
