/**
 * The contract between FulfillTask (src/domain/provisioning/) and a fulfilment package: the task
 * routes each resource type's orders, through its ResourceTypeMapping, to a Connection whose
 * Package names one of the packages (packages.ts); the package opens a Fulfiller on the
 * connection's settings (`Connections.<Connection>` of the settings file) and applies the orders.
 *
 * Orders are the §C.13 documents of the order files, with the id FulfillTask gives each one
 * (idm_provisioning_orders.id). A Fulfiller:
 * - applies the orders it is given in order, one outcome per order, and stops between two orders
 *   when the signal aborts (the orders not reached stay Transmitted for the next run);
 * - is idempotent per order: an order whose effect is already in the system (a killed run applied it
 *   but could not record it) ends Executed without being applied a second time, which `observe`
 *   decides where the system can be read, and the package's own operations otherwise (create when
 *   absent, set to the value, delete when present);
 * - reports a failure of one order as its Errored outcome (message without secrets), and throws only
 *   when the connection itself fails (then every order not yet reported stays Transmitted);
 * - never logs or returns a secret of its settings (passwords, connection strings).
 */
export type OrderChangeType = "Added" | "Modified" | "Deleted";

export interface OrderReference {
  Id: string;
  Identifier: string;
}

/** One order as the order files hold it (model.md §C.13). */
export interface ProvisioningOrder {
  AssignedResourceTypeId: string;
  ChangeType: OrderChangeType;
  WorkflowInstanceId?: string;
  /** The owner: Id, Identifier, InternalDisplayName and its scalar properties. */
  Owner?: Record<string, unknown>;
  ResourceType: { Id: string; Identifier: string; SourceEntityType: OrderReference | null; TargetEntityType: OrderReference | null };
  /**
   * Target property → new value, as text; null clears it. A navigation value is an OrderReference; a
   * multi-valued navigation lists `<property>_add` and `<property>_remove` arrays of OrderReference.
   */
  Changes: Record<string, unknown>;
  /** The target's current values (Id, Identifier, properties) for Modified and Deleted. */
  Resource?: Record<string, unknown>;
}

export interface FulfilOrder {
  /** idm_provisioning_orders.id: the key of idempotence and of the results. */
  id: number;
  order: ProvisioningOrder;
}

/** Ticket: left open for a person to close (the Manual package); the order stays Transmitted until then. */
export type OrderOutcomeState = "Executed" | "Errored" | "Ticket";

export interface OrderOutcome {
  id: number;
  state: OrderOutcomeState;
  /** Why it errored, or what was done when it was already there ("already applied"). */
  message: string;
  /** The package found the effect already in the system and applied nothing. */
  alreadyApplied?: boolean;
}

/** What a package knows of the resource type it fulfils: its mapping's attributes. */
export interface FulfilRoute {
  resourceType: string;
  connection: string;
  /** The Package attribute of the Connection, as written (e.g. `Usercube.AD@0000001`). */
  packageName: string;
  /** The ResourceTypeMapping's kind (ResourceTypeMapping, LdapResourceTypeMapping…) and attributes. */
  mappingKind: string;
  mapping: Readonly<Record<string, unknown>>;
}

export interface FulfilContext {
  /** `Connections.<Connection>` of the settings file (may hold secrets: never log it). */
  settings: Readonly<Record<string, unknown>>;
  /** Folders the package may write under (Paths.Work for CSV or script outputs), already confined. */
  workFolder: string;
  /**
   * The folders a script package may run its script from, resolved: Tasks.ScriptRoots, else the
   * configuration folder and Paths.Work (InvokeExpressionTask's rule). Absent: scripts are refused.
   */
  scriptRoots?: readonly string[];
  log(level: "Information" | "Warning", message: string): void;
}

export interface Fulfiller {
  apply(orders: readonly FulfilOrder[], signal: AbortSignal): AsyncIterable<OrderOutcome>;
  close(): Promise<void>;
}

export interface FulfilPackage {
  /** The package's name in messages and README (LDAP, SQL, CSV, Script, Manual, InternalResources). */
  name: string;
  /** The package reads no settings (Manual): a Connection without `Connections.<id>` gets `{}`. */
  settingsOptional?: boolean;
  /** Whether a Connection's Package attribute names this package. */
  handles(packageName: string): boolean;
  /** Reads and checks the settings (a missing or wrong one throws, naming `settings Connections.<id>.<key>`), then connects. */
  open(route: FulfilRoute, context: FulfilContext): Promise<Fulfiller>;
}
