/** The variable an expression reads the resource from (its own file: naming it does not load CEL). */
export const RESOURCE_VARIABLE = "resource";
