/**
 * npm run migrate — applies pending migrations to the configured store (the server also does
 * this at start-up) and, unless SEED_DEMO=false, seeds the demo campaign.
 */
import { openServices } from "./lib/cli";

const services = await openServices();
await services.close();
process.stderr.write("数据库已是最新结构。\n");
