// The generated people of bench:sync, shared by the measured run (sync.mjs) and its raw limit
// (sync-raw.mjs, a child process): row i of `round` is the same in both.
export const CONNECTOR = "Bench";
export const TABLE = "BenchPeople";
export const ENTITY_TYPE = "Bench_Person";
export const CHANGED_EVERY = 100; // 1%
export const COLUMNS = ["employee_id", "first_name", "last_name", "email", "job_title", "department_code", "contract_start"];
export const PROPERTIES = ["EmployeeId", "FirstName", "LastName", "Email", "JobTitle", "DepartmentCode", "ContractStartDate"];

const FIRST = ["Alice", "Bob", "Carol", "Dan", "Eve", "Frank", "Grace", "Heidi", "Ivan", "Judy", "Mallory", "Niaj", "Olivia", "Peggy", "Rupert", "Sybil"];
const LAST = ["Durand", "Martin", "Petit", "Roux", "Bernard", "Dubois", "Moreau", "Laurent", "Simon", "Michel", "Lefebvre", "Leroy", "Garcia", "David", "Bertrand"];
const TITLES = ["Developer", "Analyst", "Manager", "Accountant", "Engineer", "Designer", "Consultant", "Administrator", "Sales representative"];

/** Row i of `round` (round > 0 changes the job title of every CHANGED_EVERY-th row), in COLUMNS order. */
export function person(i, round) {
  const first = FIRST[i % FIRST.length];
  const last = LAST[Math.floor(i / FIRST.length) % LAST.length];
  const changed = round > 0 && i % CHANGED_EVERY === 0;
  return [
    `E${String(i).padStart(8, "0")}`,
    first,
    last,
    `${first.toLowerCase()}.${last.toLowerCase()}.${i}@example.com`,
    changed ? `${TITLES[(i * 7) % TITLES.length]} (round ${round})` : TITLES[(i * 7) % TITLES.length],
    `D${String(i % 250).padStart(3, "0")}`,
    `${2000 + (i % 25)}-${String(1 + (i % 12)).padStart(2, "0")}-${String(1 + (i % 28)).padStart(2, "0")}`,
  ];
}

/** The synchronized properties of a row as the mapping stores them (ContractStartDate read as yyyy-MM-dd, UTC). */
export function propertiesOf(values) {
  const properties = Object.fromEntries(PROPERTIES.map((p, k) => [p, values[k]]));
  properties.ContractStartDate = `${values[6]}T00:00:00.000Z`;
  return properties;
}
