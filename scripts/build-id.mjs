// Part of `npm run build`: writes dist/build-id.txt, the toolkit's identity in a deploy's source
// fingerprint (src/config/toolkit-build.ts), so that no `idm deploy` has to hash the toolkit itself.
import { writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { BUILD_ID_FILE, computeBuildId } from "../dist/config/toolkit-build.js";

const dist = new URL("../dist/", import.meta.url);
writeFileSync(new URL(BUILD_ID_FILE, dist), `${computeBuildId(fileURLToPath(dist))}\n`);
