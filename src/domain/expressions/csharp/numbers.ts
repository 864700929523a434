/**
 * Numbers as .NET formats and parses them with the invariant culture: standard formats D, F, N, P,
 * X, G and custom ones made of 0 # . , and literals; Int32.Parse; banker's rounding.
 */
import { CSharpException, formatDouble } from "./values.js";

const FORMAT_ERROR = () => new CSharpException("FormatException", "Format specifier was invalid.");

function group(integer: string): string {
  return integer.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
}

/** Fixed-point digits of |n| with `decimals` places, midpoints away from zero as .NET Core 3.0+ does. */
function fixed(n: number | bigint, decimals: number): string {
  if (typeof n === "bigint") {
    const abs = n < 0n ? -n : n;
    return decimals > 0 ? `${abs}.${"0".repeat(decimals)}` : String(abs);
  }
  return Math.abs(n).toFixed(decimals);
}

export function formatNumber(value: bigint | number, format: string): string {
  const m = /^([DdFfNnPpXxGgEeCcRr])(\d{0,2})$/.exec(format);
  const negative = typeof value === "bigint" ? value < 0n : value < 0 || Object.is(value, -0);
  if (m) {
    const kind = m[1]!.toUpperCase();
    const precision = m[2] === "" ? undefined : Number(m[2]);
    if (typeof value === "number" && !Number.isFinite(value)) return formatDouble(value);
    switch (kind) {
      case "D": {
        if (typeof value !== "bigint") throw FORMAT_ERROR();
        const digits = (negative ? -value : value).toString().padStart(precision ?? 0, "0");
        return negative ? `-${digits}` : digits;
      }
      case "X": {
        if (typeof value !== "bigint") throw FORMAT_ERROR();
        const hex = BigInt.asUintN(value >= -(2n ** 31n) && value < 2n ** 31n ? 32 : 64, value).toString(16).padStart(precision ?? 0, "0");
        return m[1] === "X" ? hex.toUpperCase() : hex;
      }
      case "F":
      case "N": {
        const text = fixed(value, precision ?? 2);
        const [integer, fraction] = text.split(".") as [string, string | undefined];
        const body = (kind === "N" ? group(integer) : integer) + (fraction ? `.${fraction}` : "");
        return negative && /[1-9]/.test(body) ? `-${body}` : body;
      }
      case "P": {
        const text = fixed(Number(value) * 100, precision ?? 2);
        const [integer, fraction] = text.split(".") as [string, string | undefined];
        const body = `${group(integer)}${fraction ? `.${fraction}` : ""} %`;
        return negative && /[1-9]/.test(body) ? `-${body}` : body;
      }
      case "G":
      case "R":
        return typeof value === "bigint" ? value.toString() : formatDouble(value);
      default:
        throw new CSharpException("FormatException", `Format '${format}' is not supported by idm-toolkit`);
    }
  }
  return customFormat(value, format);
}

/** `0` digit or zero, `#` digit, `.` decimal point, `,` grouping, anything else literal (quoted with ' or "). */
function customFormat(value: bigint | number, format: string): string {
  const section = format.split(";")[0]!;
  const pointAt = section.indexOf(".");
  const integerPart = pointAt < 0 ? section : section.slice(0, pointAt);
  const fractionPart = pointAt < 0 ? "" : section.slice(pointAt + 1);
  const minInteger = (integerPart.match(/0/g) ?? []).length;
  const minFraction = (fractionPart.match(/0/g) ?? []).length;
  const maxFraction = (fractionPart.match(/[0#]/g) ?? []).length;
  if (minInteger + maxFraction === 0 && !/#/.test(integerPart)) return section.replace(/['"]/g, "");
  const grouped = /[0#],[0#]/.test(integerPart);
  const text = fixed(value, maxFraction);
  let [integer, fraction = ""] = text.split(".") as [string, string?];
  fraction = fraction.replace(/0+$/, "");
  if (fraction.length < minFraction) fraction = fraction.padEnd(minFraction, "0");
  if (integer === "0" && minInteger === 0) integer = "";
  integer = integer.padStart(minInteger, "0");
  if (grouped) integer = group(integer);
  const prefix = integerPart.slice(0, integerPart.search(/[0#,]|$/)).replace(/['"]/g, "");
  const suffixStart = fractionPart === "" ? integerPart.length - [...integerPart].reverse().join("").search(/[0#,]|$/) : -1;
  const suffix = fractionPart === "" ? integerPart.slice(suffixStart).replace(/['"]/g, "") : fractionPart.replace(/^[0#]*/, "").replace(/['"]/g, "");
  const negative = typeof value === "bigint" ? value < 0n : value < 0;
  const body = `${integer}${fraction ? `.${fraction}` : ""}`;
  return `${negative && /[1-9]/.test(body) ? "-" : ""}${prefix}${body}${suffix}`;
}

const INTEGER = /^[\s]*([+-]?)(\d+)[\s]*$/;

/** Int32.Parse / Convert.ToInt32(string) with the invariant culture. */
export function parseInteger(text: string | null, bits: 32 | 64, parameter = "s"): bigint {
  if (text === null) throw new CSharpException("ArgumentNullException", `Value cannot be null. (Parameter '${parameter}')`);
  const m = INTEGER.exec(text);
  if (!m) throw new CSharpException("FormatException", `The input string '${text}' was not in a correct format.`);
  const value = BigInt(`${m[1]}${m[2]}`);
  if (value !== BigInt.asIntN(bits, value)) throw new CSharpException("OverflowException", `Value was either too large or too small for an Int${bits}.`);
  return value;
}

const DECIMAL = /^\s*[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?\s*$/;

export function parseDouble(text: string | null): number {
  if (text === null) throw new CSharpException("ArgumentNullException", "Value cannot be null. (Parameter 's')");
  if (!DECIMAL.test(text)) throw new CSharpException("FormatException", `The input string '${text}' was not in a correct format.`);
  return Number(text.trim());
}

/** Math.Round(x[, digits]): to even at midpoints, as MidpointRounding.ToEven. */
export function roundHalfEven(x: number, digits = 0): number {
  if (!Number.isFinite(x)) return x;
  const factor = 10 ** digits;
  const scaled = x * factor;
  const floor = Math.floor(scaled);
  const diff = scaled - floor;
  let rounded: number;
  // As .NET: the scaled binary value decides, so Math.Round(2.675, 2) is 2.67 (2.675 is 2.67499999…).
  if (diff === 0.5) rounded = floor % 2 === 0 ? floor : floor + 1;
  else rounded = Math.round(scaled);
  return rounded / factor;
}
