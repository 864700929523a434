// The throw-away OpenLDAP server lives in bench/slapd.mjs, shared with bench:fulfill.
import { fileURLToPath } from "node:url";

export { ROOT_DN, SLAPD, startSlapd, SUFFIX, type Slapd, type SlapdOptions } from "../../bench/slapd.mjs";

/** The demo's AD attributes and classes (sAMAccountName, employeeID, userAccountControl, adLiteUser…). */
export const AD_LITE_SCHEMA = fileURLToPath(new URL("../fixtures/ldap/ad-lite.schema", import.meta.url));
