// The throw-away OpenLDAP server lives in bench/slapd.mjs, shared with bench:fulfill.
export { ROOT_DN, SLAPD, startSlapd, SUFFIX, type Slapd } from "../../bench/slapd.mjs";
