import { verifyChain } from '../modules/audit/audit.service.js';
import { runCli } from './cli.js';

await runCli(async (db) => {
  const r = await verifyChain(db);
  if (r.ok) {
    console.log(`Audit chain intact: ${r.checked} entries verified.`);
    return 0;
  }
  console.error(
    `Audit chain BROKEN at entry #${r.brokenAt}: ${r.reason === 'hash' ? 'its content does not match its hash (edited)' : 'it does not link to the entry before it (an entry was removed or inserted)'}. ${r.checked} entries before it are intact.`,
  );
  return 2;
});
